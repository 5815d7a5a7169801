#include "shun/rrl/limiter.hpp"

#include <catch2/catch.hpp>

using namespace shun;

namespace {

constexpr std::uint64_t kSecond = 1000000;
constexpr std::uint64_t kStart = 5000 * kSecond; // any monotonic time

query::ClientAddress v4(std::uint32_t address)
{
  query::ClientAddress client;
  client.v4 = address;
  return client;
}

query::ClientAddress v6(store::Ip6 address)
{
  query::ClientAddress client;
  client.isV6 = true;
  client.v6 = address;
  return client;
}

rrl::Settings settings(std::uint32_t rate)
{
  rrl::Settings s;
  s.enabled = true;
  s.rate = rate;
  s.errorRate = rate / 10;
  s.tableSize = 1024;
  return s;
}

// Answers admitted for client at `perSecond` evenly spaced queries a second for `seconds`, from start.
std::uint64_t admitted(rrl::Limiter& limiter, const query::ClientAddress& client, std::uint64_t perSecond,
    std::uint64_t seconds, std::uint64_t start = kStart, rrl::AnswerClass c = rrl::AnswerClass::NxDomain)
{
  std::uint64_t count = 0;
  for (std::uint64_t i = 0; i < perSecond * seconds; ++i)
    count += limiter.admit(client, c, 0, start + i * kSecond / perSecond) ? 1 : 0;
  return count;
}

// Answers admitted of n queries at one instant.
std::uint64_t atOnce(rrl::Limiter& limiter, const query::ClientAddress& client, std::uint64_t n,
    std::uint64_t now, rrl::AnswerClass c = rrl::AnswerClass::NxDomain)
{
  std::uint64_t count = 0;
  for (std::uint64_t i = 0; i < n; ++i)
    count += limiter.admit(client, c, 0, now) ? 1 : 0;
  return count;
}

} // namespace

TEST_CASE("rrl: a quiet prefix gets one second's worth at once, then nothing until a token is due")
{
  rrl::Limiter limiter(settings(100), 1);
  auto client = v4(0xC0000201);
  for (int i = 0; i < 100; ++i)
    REQUIRE(limiter.admit(client, rrl::AnswerClass::NxDomain, 0, kStart));
  CHECK_FALSE(limiter.admit(client, rrl::AnswerClass::NxDomain, 0, kStart));
  CHECK_FALSE(limiter.admit(client, rrl::AnswerClass::NxDomain, 0, kStart + kSecond / 100 - 1));
  CHECK(limiter.admit(client, rrl::AnswerClass::NxDomain, 0, kStart + kSecond / 100));
  CHECK_FALSE(limiter.admit(client, rrl::AnswerClass::NxDomain, 0, kStart + kSecond / 100));
}

TEST_CASE("rrl: a flood is held to the rate plus one burst, limited answers taking no token")
{
  rrl::Limiter limiter(settings(500), 2);
  auto count = admitted(limiter, v4(0x0A000001), 5000, 20);
  CHECK(count >= 500 * 20 + 500 - 2);
  CHECK(count <= 500 * 20 + 500 + 2);
}

TEST_CASE("rrl: a client below the rate is never limited, at the defaults 1,000 misses a second")
{
  rrl::Settings defaults;
  defaults.enabled = true;
  rrl::Limiter limiter(defaults, 3);
  CHECK(admitted(limiter, v4(0x0A000001), 1000, 30) == 30000);
  // Even all of them at once (a resolver's burst after a pause) stay within the default burst.
  for (int i = 0; i < 1000; ++i)
    REQUIRE(limiter.admit(v4(0x0A000002), rrl::AnswerClass::NxDomain, 0, kStart + 100 * kSecond));
}

TEST_CASE("rrl: addresses in one /24 share a bucket, the next /24 has its own")
{
  rrl::Limiter limiter(settings(10), 4);
  for (std::uint32_t last = 0; last < 10; ++last)
    REQUIRE(limiter.admit(v4(0xC0000200 | last), rrl::AnswerClass::NxDomain, 0, kStart));
  CHECK_FALSE(limiter.admit(v4(0xC00002FE), rrl::AnswerClass::NxDomain, 0, kStart));
  CHECK(limiter.admit(v4(0xC0000301), rrl::AnswerClass::NxDomain, 0, kStart));
  // A v4-mapped IPv6 client is its IPv4 address.
  CHECK_FALSE(
      limiter.admit(v6(store::Ip6(0xffff) << 32 | 0xC0000207), rrl::AnswerClass::NxDomain, 0, kStart));
}

TEST_CASE("rrl: IPv6 clients share a bucket within a /56")
{
  rrl::Limiter limiter(settings(10), 5);
  store::Ip6 base = store::Ip6(0x20010db800010200ull) << 64;
  for (unsigned i = 0; i < 10; ++i)
    REQUIRE(limiter.admit(v6(base | (store::Ip6(i) << 64) | i), rrl::AnswerClass::Answer, 0, kStart));
  CHECK_FALSE(limiter.admit(v6(base | (store::Ip6(0xff) << 64)), rrl::AnswerClass::Answer, 0, kStart));
  CHECK(limiter.admit(v6(base | (store::Ip6(0x100) << 64)), rrl::AnswerClass::Answer, 0, kStart));
}

TEST_CASE("rrl: each answer class and each zone has its own bucket; errors have their own rate")
{
  rrl::Limiter limiter(settings(100), 6);
  auto client = v4(0x0A000001);
  CHECK(atOnce(limiter, client, 1000, kStart, rrl::AnswerClass::NxDomain) == 100);
  CHECK(atOnce(limiter, client, 1000, kStart, rrl::AnswerClass::Answer) == 100);
  CHECK(atOnce(limiter, client, 1000, kStart, rrl::AnswerClass::NoData) == 100);
  CHECK(atOnce(limiter, client, 1000, kStart, rrl::AnswerClass::Error) == 10);
  CHECK(limiter.admit(client, rrl::AnswerClass::NxDomain, 7, kStart + kSecond - 1));
}

TEST_CASE("rrl: a bucket idle long enough for the 40-bit clock to wrap is full again")
{
  auto client = v4(0x0A000001);
  for (std::uint64_t idle : { std::uint64_t { 1 } << 39, (std::uint64_t { 1 } << 40) - kSecond / 200,
           std::uint64_t { 1 } << 40, (std::uint64_t { 1 } << 40) + kSecond / 20 }) {
    rrl::Limiter fresh(settings(10), 7);
    REQUIRE(atOnce(fresh, client, 100, kStart) == 10);
    REQUIRE(atOnce(fresh, client, 100, kStart + kSecond / 2) == 5);
    CHECK(atOnce(fresh, client, 100, kStart + idle + 2 * kSecond) == 10);
  }
}

TEST_CASE("rrl: a table too small for its keys lets answers through instead of limiting strangers")
{
  rrl::Settings small = settings(5);
  small.tableSize = 2;
  rrl::Limiter limiter(small, 8);
  std::uint64_t count = 0;
  for (std::uint32_t prefix = 0; prefix < 1000; ++prefix)
    count += limiter.admit(v4(prefix << 8), rrl::AnswerClass::NxDomain, 0, kStart) ? 1 : 0;
  CHECK(count == 1000);
}

TEST_CASE("rrl: exempt ranges match IPv4, v4-mapped and IPv6 clients")
{
  rrl::Settings s = settings(10);
  s.exempt
      = { rrl::parsePrefix("192.0.2.0/24"), rrl::parsePrefix("2001:db8::/32"), rrl::parsePrefix("10.1.2.3") };
  rrl::Limiter limiter(s, 9);
  CHECK(limiter.exempt(v4(0xC00002FF)));
  CHECK_FALSE(limiter.exempt(v4(0xC0000301)));
  CHECK(limiter.exempt(v4(0x0A010203)));
  CHECK_FALSE(limiter.exempt(v4(0x0A010204)));
  CHECK(limiter.exempt(v6(store::Ip6(0xffff) << 32 | 0xC0000201)));
  CHECK(limiter.exempt(v6(store::Ip6(0x20010db8) << 96 | 1)));
  CHECK_FALSE(limiter.exempt(v6(store::Ip6(0x20010db9) << 96)));
  rrl::Limiter none(settings(10), 9);
  CHECK_FALSE(none.exempt(v4(0xC0000201)));
}

TEST_CASE("rrl: prefixes parse with their host bits cleared; bad ones are refused")
{
  auto prefix = rrl::parsePrefix("192.0.2.77/24");
  CHECK_FALSE(prefix.isV6);
  CHECK(prefix.bits == 0xC0000200);
  CHECK(prefix.length == 24);
  CHECK(rrl::parsePrefix("::/0").length == 0);
  CHECK(rrl::parsePrefix("0.0.0.0/0").contains(v4(0x01020304)));
  for (const char* bad : { "192.0.2.0/33", "2001:db8::/129", "example.org", "192.0.2.0/", "192.0.2.0/x", "" })
    CHECK_THROWS_AS(rrl::parsePrefix(bad), std::invalid_argument);
}

TEST_CASE("rrl: every slip-th limited answer slips, none at 0, all at 1")
{
  rrl::SlipCounter counter;
  std::string seen;
  for (int i = 0; i < 6; ++i)
    seen += counter.next(3) == rrl::Action::Slip ? 'S' : 'D';
  CHECK(seen == "DDSDDS");
  rrl::SlipCounter never, always;
  for (int i = 0; i < 4; ++i) {
    CHECK(never.next(0) == rrl::Action::Drop);
    CHECK(always.next(1) == rrl::Action::Slip);
  }
}

TEST_CASE("rrl: answers are classed as listed, NXDOMAIN, NODATA or error")
{
  query::Result result;
  result.answerCount = 1;
  CHECK(rrl::classify(result) == rrl::AnswerClass::Answer);
  result.answerCount = 0;
  CHECK(rrl::classify(result) == rrl::AnswerClass::NoData);
  result.rcode = 3;
  CHECK(rrl::classify(result) == rrl::AnswerClass::NxDomain);
  for (std::uint8_t rcode : { 1, 2, 4, 5 }) {
    result.rcode = rcode;
    CHECK(rrl::classify(result) == rrl::AnswerClass::Error);
  }
  CHECK(std::string(rrl::className(rrl::AnswerClass::NxDomain)) == "nxdomain");
}

TEST_CASE("rrl: admit lets clients of exempt ranges through without taking a token")
{
  rrl::Settings s = settings(10);
  s.exempt = { rrl::parsePrefix("192.0.2.0/24"), rrl::parsePrefix("2001:db8::/32") };
  rrl::Limiter limiter(s, 10);
  CHECK(atOnce(limiter, v4(0xC0000201), 100, kStart) == 100);
  CHECK(atOnce(limiter, v6(store::Ip6(0x20010db8) << 96 | 1), 100, kStart) == 100);
  CHECK(atOnce(limiter, v6(store::Ip6(0xffff) << 32 | 0xC0000202), 100, kStart) == 100);
  CHECK(atOnce(limiter, v4(0xC0000301), 100, kStart) == 10); // outside: limited as ever
}

TEST_CASE("rrl: a bucket's time wraps out of its word without touching the key's tag")
{
  // 2^40 microseconds after the start the shifted clock has wrapped once: the same prefix keeps its bucket.
  rrl::Limiter limiter(settings(10), 11);
  auto client = v4(0x0A000001);
  std::uint64_t beforeWrap = (std::uint64_t { 1 } << 40) - kSecond / 20;
  REQUIRE(atOnce(limiter, client, 100, beforeWrap) == 10);
  CHECK(atOnce(limiter, client, 100, beforeWrap + kSecond / 10) == 1);
  CHECK(limiter.admit(client, rrl::AnswerClass::NxDomain, 0, rrl::instantOf(beforeWrap + kSecond / 5)));
}
