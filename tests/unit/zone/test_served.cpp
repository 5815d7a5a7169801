#include "shun/zone/served.hpp"
#include "zone_test_util.hpp"

#include <catch2/catch.hpp>

using namespace shun;

namespace {

constexpr std::int64_t kNow = 1'795'000'000; // 2026-11-18

listing::Key key(const char* text)
{
  std::string error;
  auto parsed = listing::parseKey(text, error);
  REQUIRE(parsed);
  return *parsed;
}

} // namespace

TEST_CASE("served: the covering entry's value, TXT expanded for the key, with its metadata")
{
  zonetest::TempDir dir;
  auto result = zonetest::loadOne(dir, "ip4trie",
      ":127.0.0.2:Listed $\n#@ reason=\"trap hits\"\n192.0.2.0/24\n192.0.2.7 :3:Spam from $\n");
  REQUIRE(result.snapshot);
  const store::Dataset& dataset = *result.snapshot->datasets.front();
  auto covered = zone::servedValues(dataset, key("192.0.2.9"), kNow);
  REQUIRE(covered.size() == 1);
  CHECK(covered[0].a == 0x7f000002);
  CHECK(covered[0].txt == "Listed 192.0.2.9");
  CHECK(covered[0].listing->reason == "trap hits");
  auto exact = zone::servedValues(dataset, key("192.0.2.7"), kNow);
  REQUIRE(exact.size() == 1);
  CHECK(exact[0].txt == "Spam from 192.0.2.7");
  CHECK(exact[0].listing->reason.empty());
  bool applicable = false;
  CHECK(zone::servedValues(dataset, key("198.51.100.1"), kNow, &applicable).empty());
  CHECK(applicable);
  applicable = false;
  CHECK(zone::servedValues(dataset, key("2001:db8::1"), kNow, &applicable).empty());
  CHECK_FALSE(applicable);
}

TEST_CASE("served: an expired entry is not served, at the second it expires")
{
  zonetest::TempDir dir;
  auto result
      = zonetest::loadOne(dir, "dnset", "#@ expires=2026-11-18T00:00:00Z\nbad.example\n.worse.example\n");
  REQUIRE(result.snapshot);
  const store::Dataset& dataset = *result.snapshot->datasets.front();
  std::int64_t expires = 1'794'960'000; // 2026-11-18T00:00:00Z
  CHECK(zone::servedValues(dataset, key("bad.example"), expires - 1).size() == 1);
  CHECK(zone::servedValues(dataset, key("bad.example"), expires).empty());
  CHECK(zone::servedValues(dataset, key("mail.worse.example"), kNow).size() == 1);
}

TEST_CASE("served: a wildcard match names the wildcard's own name, as DNS expands $ with it")
{
  zonetest::TempDir dir;
  auto result = zonetest::loadOne(dir, "dnset", ":127.0.1.2:Domain $ listed\n*.spam.example\nbad.example\n");
  REQUIRE(result.snapshot);
  const store::Dataset& dataset = *result.snapshot->datasets.front();
  auto below = zone::servedValues(dataset, key("mail.spam.example"), kNow);
  REQUIRE(below.size() == 1);
  CHECK(below[0].entryName == "spam.example");
  CHECK(below[0].txt == "Domain spam.example listed");
  CHECK(zone::servedValues(dataset, key("bad.example"), kNow).at(0).entryName == "bad.example");
  CHECK(zone::servedValues(dataset, key("spam.example"), kNow).empty());
}
