#include "shun/admin/editor.hpp"
#include "temp_zone.hpp"

#include <catch2/catch.hpp>

using namespace shun::admin;
using shun::store::DatasetType;

namespace {

constexpr std::int64_t kNow = 1'795'000'000;

using RangeZone = admintest::TempZone;

AddOptions adding(const std::string& key)
{
  AddOptions options;
  options.keys = { key };
  return options;
}

} // namespace

TEST_CASE("editor: removing an address inside a listed range names the range and how to except it")
{
  RangeZone zone("#@policy default=7d\n192.0.2.0/24 :3:range\n");
  EditResult result = ZoneEditor(zone.target).remove({ "192.0.2.7" }, "", "", kNow);
  CHECK(result.outcome == Outcome::NotListed);
  REQUIRE(result.keys.size() == 1);
  CHECK_THAT(result.keys[0].reason, Catch::Contains("part of the entry 192.0.2.0/24"));
  CHECK_THAT(result.keys[0].reason, Catch::Contains("shunctl add '!192.0.2.7'"));
  CHECK(zone.file(".journal").empty());
  EditResult elsewhere = ZoneEditor(zone.target).remove({ "198.51.100.1" }, "", "", kNow);
  CHECK(elsewhere.keys.at(0).reason == "198.51.100.1 is not listed in bl.example");
}

TEST_CASE("editor: an exclusion is journalled without the policy's end and survives expire")
{
  RangeZone zone("#@policy default=7d\n192.0.2.0/24 :3:range\n");
  EditResult added = ZoneEditor(zone.target).add(adding("!192.0.2.7"), kNow);
  REQUIRE(added.outcome == Outcome::Done);
  CHECK(added.keys.at(0).expires == 0);
  CHECK_THAT(zone.file(".journal"), Catch::Contains("\n!192.0.2.7\n"));
  REQUIRE(ZoneEditor(zone.target).expire(false, kNow).outcome == Outcome::Done);
  CHECK_THAT(zone.file(), Catch::Contains("192.0.2.0/24 :3:range\n"));
  CHECK_THAT(zone.file(), Catch::Contains("\n!192.0.2.7\n"));
  CHECK(ZoneEditor(zone.target).remove({ "!192.0.2.7" }, "", "", kNow).outcome == Outcome::Done);
}

TEST_CASE("editor: an exclusion runs the delisting guards and fits only datasets that have exclusions")
{
  RangeZone zone("127.0.0.0/8\n");
  CHECK(ZoneEditor(zone.target).add(adding("!127.0.0.2"), kNow).outcome == Outcome::Refused);
  RangeZone tset("192.0.2.1\n", DatasetType::Ip4TSet);
  CHECK(ZoneEditor(tset.target).add(adding("!192.0.2.1"), kNow).outcome == Outcome::BadArgument);
  RangeZone ip6("2001:db8::/32\n", DatasetType::Ip6TSet);
  CHECK(ZoneEditor(ip6.target).add(adding("!2001:db8::1"), kNow).outcome == Outcome::Done);
  CHECK(ZoneEditor(ip6.target).add(adding("!2001:db8::/64"), kNow).outcome == Outcome::BadArgument);
}
