#include "query/fixture.hpp"
#include "shun/query/cookies.hpp"

#include <catch2/catch.hpp>

using namespace shun;
using namespace shun::testing;

namespace {

constexpr std::uint16_t A = 1;
constexpr std::int64_t kNow = 1800000000;
const std::vector<std::uint8_t> kClientCookie { 1, 2, 3, 4, 5, 6, 7, 8 };

// A query with an OPT carrying the given options ({code, data} each).
std::vector<std::uint8_t> queryWith(
    const std::string& name, std::vector<std::pair<std::uint16_t, std::vector<std::uint8_t>>> options)
{
  QuerySpec spec { name, A };
  spec.ednsSize = 1232;
  auto packet = makeQuery(spec);
  std::size_t rdlength = packet.size() - 2;
  std::size_t added = 0;
  for (const auto& [code, data] : options) {
    packet.insert(packet.end(),
        { static_cast<std::uint8_t>(code >> 8), static_cast<std::uint8_t>(code),
            static_cast<std::uint8_t>(data.size() >> 8), static_cast<std::uint8_t>(data.size()) });
    packet.insert(packet.end(), data.begin(), data.end());
    added += 4 + data.size();
  }
  packet[rdlength] = static_cast<std::uint8_t>(added >> 8);
  packet[rdlength + 1] = static_cast<std::uint8_t>(added);
  return packet;
}

std::vector<std::uint8_t> cookieQuery(const std::string& name, std::vector<std::uint8_t> cookie)
{
  return queryWith(name, { { 10, std::move(cookie) } });
}

struct CookieAnswer {
  query::Result result;
  std::vector<std::uint8_t> bytes;
  Response response;
  std::vector<std::uint8_t> cookie; ///< the COOKIE option's data in the answer's OPT (last RR)
};

CookieAnswer ask(std::span<const std::uint8_t> packet, query::ServerCookies* cookies,
    query::ClientAddress client = {}, std::int64_t now = kNow)
{
  static auto snapshot = demoSnapshot();
  query::AnswerOptions options;
  options.cookies = cookies;
  CookieAnswer a;
  a.bytes.resize(1232);
  a.result = query::answer(packet, *snapshot, now, client, query::Transport::Udp, options, a.bytes);
  a.bytes.resize(a.result.length);
  a.response = readResponse(a.bytes.data(), a.bytes.size());
  // Our OPT is the last RR: ... RDLENGTH, then {10, length, data} when it carries a cookie.
  if (a.bytes.size() > 4 + 24 + 4 && a.bytes[a.bytes.size() - 28] == 0 && a.bytes[a.bytes.size() - 27] == 10)
    a.cookie.assign(a.bytes.end() - 24, a.bytes.end());
  return a;
}

std::vector<std::uint8_t> plus(std::vector<std::uint8_t> a, const std::vector<std::uint8_t>& b)
{
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

} // namespace

TEST_CASE("answer cookies: a client cookie alone gets a normal answer with a fresh server cookie")
{
  query::ServerCookies cookies({ query::randomCookieSecret() });
  auto a = ask(cookieQuery("2.0.0.127.bl.example", kClientCookie), &cookies);
  CHECK(a.result.cookie == query::CookieState::ClientOnly);
  CHECK(a.response.rcode == 0);
  CHECK(a.response.answer.size() == 1);
  REQUIRE(a.cookie.size() == 24);
  CHECK(std::vector<std::uint8_t>(a.cookie.begin(), a.cookie.begin() + 8) == kClientCookie);
  CHECK(cookies.verify(kClientCookie.data(), a.cookie.data() + 8, 16, {}, kNow));
}

TEST_CASE("answer cookies: a valid server cookie is recognised and returned as it came until it ages")
{
  query::ServerCookies cookies({ query::randomCookieSecret() });
  auto first = ask(cookieQuery("9.0.0.127.bl.example", kClientCookie), &cookies);
  REQUIRE(first.cookie.size() == 24);
  auto again = ask(cookieQuery("9.0.0.127.bl.example", first.cookie), &cookies, {}, kNow + 60);
  CHECK(again.result.cookie == query::CookieState::Valid);
  CHECK(again.response.rcode == 3);
  CHECK(again.cookie == first.cookie);
  auto later = ask(cookieQuery("9.0.0.127.bl.example", first.cookie), &cookies, {}, kNow + 2000);
  CHECK(later.result.cookie == query::CookieState::Valid);
  CHECK(later.cookie != first.cookie); // older than half an hour: renewed
}

TEST_CASE("answer cookies: a bad server cookie is answered normally with a fresh one")
{
  query::ServerCookies cookies({ query::randomCookieSecret() });
  for (std::size_t serverLength : { 8, 16, 32 }) {
    auto a = ask(
        cookieQuery("2.0.0.127.bl.example", plus(kClientCookie, std::vector<std::uint8_t>(serverLength, 7))),
        &cookies);
    CHECK(a.result.cookie == query::CookieState::Invalid);
    CHECK(a.response.rcode == 0);
    CHECK(a.response.answer.size() == 1);
    REQUIRE(a.cookie.size() == 24);
    CHECK(cookies.verify(kClientCookie.data(), a.cookie.data() + 8, 16, {}, kNow));
  }
}

TEST_CASE("answer cookies: options of the wrong length, or two of them, are FORMERR and counted malformed")
{
  query::ServerCookies cookies({ query::randomCookieSecret() });
  for (std::size_t length : { 0, 1, 7, 9, 15, 41, 100 }) {
    auto a = ask(cookieQuery("2.0.0.127.bl.example", std::vector<std::uint8_t>(length, 1)), &cookies);
    CHECK(a.result.cookie == query::CookieState::Malformed);
    CHECK(a.result.malformed);
    CHECK(a.response.rcode == 1);
    CHECK(a.response.answer.empty());
    CHECK(a.response.hasOpt);
    CHECK(a.cookie.empty());
  }
  auto twice
      = ask(queryWith("2.0.0.127.bl.example", { { 10, kClientCookie }, { 10, kClientCookie } }), &cookies);
  CHECK(twice.response.rcode == 1);
}

TEST_CASE("answer cookies: other options are skipped; a truncated option list ends the walk")
{
  query::ServerCookies cookies({ query::randomCookieSecret() });
  auto a = ask(
      queryWith("2.0.0.127.bl.example", { { 3, {} }, { 10, kClientCookie }, { 12, { 0, 0 } } }), &cookies);
  CHECK(a.result.cookie == query::CookieState::ClientOnly);
  auto packet = cookieQuery("2.0.0.127.bl.example", kClientCookie);
  packet[packet.size() - 9] = 200; // the option claims more bytes than the RDATA holds
  auto b = ask(packet, &cookies);
  CHECK(b.result.cookie == query::CookieState::None);
  CHECK(b.response.rcode == 0);
}

TEST_CASE("answer cookies: without a signer (cookies off) COOKIE options are ignored, bad ones too")
{
  auto a = ask(cookieQuery("2.0.0.127.bl.example", kClientCookie), nullptr);
  CHECK(a.result.cookie == query::CookieState::None);
  CHECK(a.cookie.empty());
  auto b = ask(cookieQuery("2.0.0.127.bl.example", { 1, 2, 3 }), nullptr);
  CHECK(b.response.rcode == 0);
}

TEST_CASE("answer cookies: a slip keeps the question and OPT, drops the records and sets TC")
{
  query::ServerCookies cookies({ query::randomCookieSecret() });
  auto a = ask(cookieQuery("2.0.0.127.bl.example", kClientCookie), &cookies);
  auto slipped = a.bytes;
  slipped.resize(query::slipAnswer(slipped, slipped.size(), false));
  auto response = readResponse(slipped.data(), slipped.size());
  REQUIRE(response.ok);
  CHECK(response.tc);
  CHECK(response.rcode == 0);
  CHECK(response.answer.empty());
  CHECK(response.authority.empty());
  CHECK(response.question.size() == 1);
  CHECK(response.hasOpt);
  CHECK(std::equal(slipped.end() - 24, slipped.end(), a.cookie.begin()));
}

TEST_CASE("answer cookies: a slip for a client with a cookie is BADCOOKIE with the fresh cookie")
{
  query::ServerCookies cookies({ query::randomCookieSecret() });
  auto a = ask(cookieQuery("9.0.0.127.bl.example", kClientCookie), &cookies);
  auto slipped = a.bytes;
  slipped.resize(query::slipAnswer(slipped, slipped.size(), true));
  auto response = readResponse(slipped.data(), slipped.size());
  REQUIRE(response.ok);
  CHECK_FALSE(response.tc);
  CHECK(response.rcode == 23);
  CHECK(response.authority.empty());
  CHECK(std::equal(slipped.end() - 24, slipped.end(), a.cookie.begin()));
}

TEST_CASE("answer cookies: a slip without EDNS is header, question and TC; garbage is refused")
{
  auto plain = testing::ask(*demoSnapshot(), { "2.0.0.127.bl.example", A });
  auto slipped = plain.bytes;
  slipped.resize(query::slipAnswer(slipped, slipped.size(), true));
  auto response = readResponse(slipped.data(), slipped.size());
  REQUIRE(response.ok);
  CHECK(response.tc); // no OPT to carry BADCOOKIE: truncated instead
  CHECK(response.answer.empty());
  CHECK_FALSE(response.hasOpt);
  std::vector<std::uint8_t> garbage(40, 0xff);
  CHECK(query::slipAnswer(garbage, garbage.size(), false) == 0);
  CHECK(query::slipAnswer(garbage, 5, false) == 0);
}
