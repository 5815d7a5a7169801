// The demo zones in zonedata/, loaded by the real zone loader, answered by the fast path and the reference.
#include "query/fixture.hpp"
#include "shun/zone/load.hpp"
#include "support/reference_answer.hpp"

#include <catch2/catch.hpp>

using namespace shun;
using namespace shun::testing;

namespace {

constexpr std::int64_t kNow = 1795379944; // 2026-11-22

std::shared_ptr<const store::Snapshot> demoZones()
{
  static std::shared_ptr<const store::Snapshot> snapshot = [] {
    std::vector<zone::ZoneSpec> specs;
    for (const char* spec :
        { "bl.example:generic:zonedata/bl.example.generic", "bl.example:ip4set:zonedata/bl.example.ip4",
            "bl.example:ip6trie:zonedata/bl.example.ip6", "dbl.example:generic:zonedata/dbl.example.generic",
            "dbl.example:dnset:zonedata/dbl.example.dn" }) {
      auto parsed = zone::parseZoneSpec(spec);
      for (std::string& file : parsed.files)
        file = std::string(SHUN_SOURCE_DIR).append("/").append(file);
      specs.push_back(parsed);
    }
    zone::LoadOptions options;
    options.now = kNow;
    auto result = zone::loadSnapshot(specs, options);
    for (const auto& diagnostic : result.diagnostics)
      UNSCOPED_INFO(diagnostic.format());
    return result.snapshot;
  }();
  return snapshot;
}

Answered askDemo(const QuerySpec& spec)
{
  REQUIRE(demoZones());
  return ask(*demoZones(), spec, kNow);
}

} // namespace

TEST_CASE("demo zones: the RFC 5782 IPv4 test points answer as the standard requires")
{
  auto listed = askDemo({ "2.0.0.127.bl.example", 16 });
  CHECK(listed.response.rcode == 0);
  REQUIRE(listed.response.answer.size() == 1);
  CHECK(listed.response.answer[0].find("127.0.0.2") != std::string::npos);
  CHECK(askDemo({ "2.0.0.127.bl.example", 1 }).response.answer.size() == 1);
  CHECK(askDemo({ "1.0.0.127.bl.example", 1 }).response.rcode == 3);
  CHECK(askDemo({ "25.2.0.192.bl.example", 1 }).response.rcode == 3); // excluded shared relay
  CHECK(askDemo({ "26.2.0.192.bl.example", 1 }).response.answer
      == std::vector<std::string> { "26.2.0.192.bl.example.\t300\tIN\tA\t127.0.0.3" });
}

TEST_CASE("demo zones: the RFC 5782 IPv6 test points answer through the IPv4 data")
{
  const std::string mapped = ".0.0.0.0.f.7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.bl.example";
  CHECK(askDemo({ "2.0" + mapped, 1 }).response.answer.size() == 1);
  CHECK(askDemo({ "1.0" + mapped, 1 }).response.rcode == 3);
}

TEST_CASE("demo zones: the domain list has TEST and not INVALID")
{
  CHECK(askDemo({ "test.dbl.example", 1 }).response.answer.size() == 1);
  CHECK(askDemo({ "invalid.dbl.example", 1 }).response.rcode == 3);
}

TEST_CASE("demo zones: the fast path equals the reference on the demo data")
{
  for (const char* name : { "2.0.0.127.bl.example", "1.0.0.127.bl.example", "25.2.0.192.bl.example",
           "26.2.0.192.bl.example", "127.bl.example", "bl.example", "test.dbl.example",
           "x.phish.example.dbl.example", "good.phish.example.dbl.example", "dbl.example" }) {
    for (std::uint16_t type : { 1, 2, 6, 16, 28, 255 }) {
      auto query = makeQuery({ name, type });
      std::vector<std::uint8_t> out(512);
      auto result = query::answer(query, *demoZones(), kNow, {}, query::Transport::Udp, {}, out);
      auto expected = query::referenceAnswer(query, *demoZones(), kNow, {}, query::Transport::Udp, {});
      auto fast = readResponse(out.data(), result.length);
      auto reference = readResponse(expected.data(), expected.size());
      INFO(name << " " << type);
      CHECK(fast.rcode == reference.rcode);
      CHECK(fast.aa == reference.aa);
      CHECK(fast.tc == reference.tc);
      CHECK(fast.answer.size() == reference.answer.size());
      CHECK(fast.authority.size() == reference.authority.size());
    }
  }
}
