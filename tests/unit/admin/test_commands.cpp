#include "shun/admin/commands.hpp"
#include "temp_zone.hpp"

#include <catch2/catch.hpp>
#include <sstream>

using namespace shun::admin;

namespace {

constexpr std::int64_t kNow = 1'795'000'000; // 2026-11-18

// A zone and what the command printed on its standard output and error.
struct TempZone : admintest::TempZone {
  using admintest::TempZone::TempZone;
  std::ostringstream out, err;
};

AddOptions adding(std::vector<std::string> keys)
{
  AddOptions options;
  options.keys = std::move(keys);
  options.reason = "trap hits";
  options.source = "spamtrap";
  return options;
}

} // namespace

TEST_CASE("shunctl add: a new key is journalled with its metadata and expiry")
{
  TempZone zone(
      ":127.0.0.2:Listed, see http://127.0.0.1:8053/lookup/$\n#@protect 10.0.0.0/8 reason=\"own network\"\n");
  auto options = adding({ "192.0.2.7" });
  options.duration = 3600;
  REQUIRE(addKeys(zone.target, options, kNow, zone.out, zone.err) == kOk);
  std::string journal = zone.file(".journal");
  CHECK(journal.find("192.0.2.7") != std::string::npos);
  CHECK(journal.find("reason=\"trap hits\"") != std::string::npos);
  CHECK(journal.find("#@commit records=1") != std::string::npos);
  CHECK(zone.out.str().find("listed 192.0.2.7 in bl.example until") != std::string::npos);

  std::ostringstream shown;
  CHECK(showKey(zone.target, "192.0.2.7", false, kNow, shown, zone.err) == kOk);
  CHECK(shown.str().find("reason:        trap hits") != std::string::npos);
  CHECK(shown.str().find("evidence:      -\n") != std::string::npos); // unset: a dash, not a blank
  CHECK(shown.str().find("times listed:  1") != std::string::npos);
}

TEST_CASE("shunctl add: re-adding keeps the first listing time and counts relistings")
{
  TempZone zone("");
  auto options = adding({ "192.0.2.8" });
  options.duration = 60;
  REQUIRE(addKeys(zone.target, options, kNow, zone.out, zone.err) == kOk);
  REQUIRE(addKeys(zone.target, options, kNow + 3600, zone.out, zone.err) == kOk); // after expiry: relisted
  std::ostringstream json;
  REQUIRE(showKey(zone.target, "192.0.2.8", true, kNow + 3601, json, zone.err) == kOk);
  CHECK(json.str().find("\"times_listed\":2") != std::string::npos);
  CHECK(json.str().find("\"first_listed\":\"2026-11-18") != std::string::npos);
  CHECK(json.str().find("\"escalation_level\":1") != std::string::npos);
}

TEST_CASE("shunctl add: a protected range refuses the key and writes nothing")
{
  TempZone zone("#@protect 10.0.0.0/8 reason=\"own network\"\n");
  CHECK(addKeys(zone.target, adding({ "192.0.2.9", "10.1.2.3" }), kNow, zone.out, zone.err) == kRefused);
  CHECK(zone.err.str()
      == "shunctl: 10.1.2.3 overlaps protected 10.0.0.0/8 (own network); use --force to list it anyway\n");
  CHECK(zone.file(".journal").empty());
  auto forced = adding({ "10.1.2.3" });
  forced.force = true;
  CHECK(addKeys(zone.target, forced, kNow, zone.out, zone.err) == kOk);
}

TEST_CASE("shunctl add: bad arguments are one-line errors and write nothing")
{
  TempZone zone("");
  CHECK(addKeys(zone.target, adding({ "192.0.2.1/24" }), kNow, zone.out, zone.err) == kBadArgument);
  CHECK(addKeys(zone.target, adding({ "2001:db8::1" }), kNow, zone.out, zone.err) == kBadArgument);
  auto past = adding({ "192.0.2.1" });
  past.until = kNow - 1;
  CHECK(addKeys(zone.target, past, kNow, zone.out, zone.err) == kBadArgument);
  auto code = adding({ "192.0.2.1" });
  code.code = "10.0.0.1";
  CHECK(addKeys(zone.target, code, kNow, zone.out, zone.err) == kBadArgument);
  CHECK(addKeys(zone.target, adding({ "127.0.0.1" }), kNow, zone.out, zone.err) == kRefused);
  CHECK(zone.file(".journal").empty());
  std::string errors = zone.err.str();
  CHECK(std::count(errors.begin(), errors.end(), '\n') == 5);
}

TEST_CASE("shunctl remove: the RFC 5782 test point stays, other keys go")
{
  TempZone zone("127.0.0.2\n192.0.2.10 :3:old\n");
  CHECK(removeKeys(zone.target, { "127.0.0.2" }, "", "", kNow, zone.out, zone.err) == kRefused);
  CHECK(removeKeys(zone.target, { "192.0.2.10" }, "fixed", "ops", kNow, zone.out, zone.err) == kOk);
  CHECK(removeKeys(zone.target, { "192.0.2.11" }, "", "", kNow, zone.out, zone.err) == kNotListed);
  std::ostringstream exported;
  exportZone(zone.target, exported, zone.err);
  CHECK(exported.str() == "127.0.0.2\n");
}

TEST_CASE("shunctl expire: expired entries are pruned and the journal is folded into the file")
{
  TempZone zone("# header stays\n127.0.0.2\n");
  auto shortLived = adding({ "192.0.2.20" });
  shortLived.duration = 60;
  auto longLived = adding({ "192.0.2.21" });
  longLived.duration = 86400;
  REQUIRE(addKeys(zone.target, shortLived, kNow, zone.out, zone.err) == kOk);
  REQUIRE(addKeys(zone.target, longLived, kNow, zone.out, zone.err) == kOk);
  std::ostringstream listed;
  listKeys(zone.target, { true, std::nullopt }, false, kNow + 120, listed, zone.err);
  CHECK(listed.str().find("192.0.2.20") != std::string::npos);
  CHECK(listed.str().find("192.0.2.21") == std::string::npos);
  REQUIRE(expireZone(zone.target, false, kNow + 120, zone.out, zone.err) == kOk);
  std::string file = zone.file();
  CHECK(file.rfind("# header stays\n127.0.0.2\n#@ ", 0) == 0);
  CHECK(file.find("192.0.2.20") == std::string::npos);
  CHECK(file.find("192.0.2.21") != std::string::npos);
  CHECK(zone.file(".journal").empty());
}

TEST_CASE("shunctl list: JSON lists served entries")
{
  TempZone zone("");
  REQUIRE(addKeys(zone.target, adding({ "192.0.2.30", "198.51.100.0/24" }), kNow, zone.out, zone.err) == kOk);
  std::ostringstream json;
  listKeys(zone.target, {}, true, kNow, json, zone.err);
  CHECK(json.str().rfind("[{\"key\":\"192.0.2.30\"", 0) == 0);
  CHECK(json.str().find("\"key\":\"198.51.100.0/24\"") != std::string::npos);
}

TEST_CASE("shunctl import: each bad line is file:line: reason on stderr, and nothing is written")
{
  TempZone zone("");
  std::string path = zone.write("bl.zone.in", "192.0.2.1\n192.0.2.1/24\n127.0.0.1\n");
  ImportOptions options;
  options.file = path;
  CHECK(importFile(zone.target, options, kNow, zone.out, zone.err) == kBadArgument);
  CHECK(zone.err.str()
      == path + ":2: host bits set in 192.0.2.1/24\n" + path
          + ":3: 127.0.0.1 would list 127.0.0.1, which RFC 5782 says must never be listed\n");
  CHECK(zone.out.str().empty());
  CHECK(zone.file(".journal").empty());
}

TEST_CASE("shunctl import: --skip-invalid writes the rest and says how many lines it skipped")
{
  TempZone zone("");
  std::string path = zone.write("bl.zone.in", "192.0.2.1\nnonsense!\n192.0.2.2\n");
  ImportOptions options;
  options.file = path;
  options.skipInvalid = true;
  CHECK(importFile(zone.target, options, kNow, zone.out, zone.err) == kOk);
  CHECK(zone.out.str().find("imported 2 entries into bl.example\nskipped 1 invalid line\n")
      != std::string::npos);
  CHECK(zone.err.str().rfind(path + ":2: ", 0) == 0);
  CHECK(zone.file(".journal").find("192.0.2.2") != std::string::npos);
}

TEST_CASE("shunctl expire --dry-run: prints what it would prune and writes nothing")
{
  TempZone zone("#@ expires=2026-11-18T00:00:00Z\n192.0.2.9\n");
  CHECK(expireZone(zone.target, true, kNow, zone.out, zone.err) == kOk);
  CHECK(zone.out.str()
      == "would prune 192.0.2.9 (expired 2026-11-18T00:00:00Z)\nwould prune 1 expired entries from "
         "bl.example\n");
  CHECK(zone.file().find("192.0.2.9") != std::string::npos);
}

TEST_CASE("shunctl show: an address an exclusion excepts from a listed range names both entries and origins")
{
  TempZone zone("192.0.2.0/24 :3:range\n!192.0.2.7\n!192.0.2.32/28\n198.51.100.0/24\n");
  std::ostringstream shown;
  CHECK(showKey(zone.target, "192.0.2.7", false, kNow, shown, zone.err) == kNotListed);
  CHECK_THAT(shown.str(),
      Catch::StartsWith("192.0.2.7 is not listed in bl.example: the exclusion !192.0.2.7 excepts it from "
                        "the entry 192.0.2.0/24\n"));
  CHECK_THAT(shown.str(), Catch::Contains("exclusion:     !192.0.2.7 (" + zone.target.dataFile + ":2)\n"));
  CHECK_THAT(shown.str(),
      Catch::Contains("excepted from: 192.0.2.0/24 :3:range (" + zone.target.dataFile + ":1)\n"));

  std::ostringstream inRange;
  CHECK(showKey(zone.target, "192.0.2.40", false, kNow, inRange, zone.err) == kNotListed);
  CHECK_THAT(inRange.str(), Catch::Contains("the exclusion !192.0.2.32/28 excepts it"));
  CHECK_THAT(inRange.str(), Catch::Contains("(" + zone.target.dataFile + ":3)"));

  std::ostringstream listed, elsewhere;
  CHECK(showKey(zone.target, "192.0.2.8", false, kNow, listed, zone.err) == kOk);
  CHECK_THAT(
      listed.str(), Catch::Contains("entry:         192.0.2.0/24 :3:range (" + zone.target.dataFile + ":1)"));
  CHECK(showKey(zone.target, "203.0.113.1", false, kNow, elsewhere, zone.err) == kNotListed);
  CHECK(elsewhere.str() == "203.0.113.1 is not listed in bl.example\n");
}

TEST_CASE("shunctl show --json: an exclusion written by shunctl add names the journal and its metadata")
{
  TempZone zone("#@policy default=7d\n198.51.100.0/24 :2:range\n");
  AddOptions except = adding({ "!198.51.100.9" });
  except.reason = "our own relay";
  REQUIRE(addKeys(zone.target, except, kNow, zone.out, zone.err) == kOk);
  std::ostringstream text, json;
  CHECK(showKey(zone.target, "198.51.100.9", false, kNow, text, zone.err) == kNotListed);
  CHECK_THAT(
      text.str(), Catch::Contains("exclusion:     !198.51.100.9 (" + zone.target.dataFile + ".journal)"));
  CHECK_THAT(text.str(), Catch::Contains("reason:        our own relay\n"));
  CHECK(showKey(zone.target, "198.51.100.9", true, kNow, json, zone.err) == kNotListed);
  CHECK_THAT(json.str(), Catch::Contains("\"listed\":false,\"exclusion\":{\"key\":\"!198.51.100.9\""));
  CHECK_THAT(json.str(), Catch::Contains("\"origin\":\"" + zone.target.dataFile + ".journal\"}"));
  CHECK_THAT(json.str(), Catch::Contains("\"excepted_from\":{\"key\":\"198.51.100.0/24\""));
  CHECK_THAT(json.str(), Catch::Contains("\"entry\":null"));
}

TEST_CASE("shunctl show: a name an exclusion excepts from a wildcard names the exclusion")
{
  TempZone zone("*.spam.example :3:wild\n!ok.spam.example\n");
  zone.target.type = shun::store::DatasetType::DnSet;
  std::ostringstream shown, listed;
  CHECK(showKey(zone.target, "ok.spam.example", false, kNow, shown, zone.err) == kNotListed);
  CHECK_THAT(shown.str(),
      Catch::StartsWith(
          "ok.spam.example is not listed in bl.example: the exclusion !ok.spam.example excepts it "
          "from the entry *.spam.example\n"));
  CHECK(showKey(zone.target, "bad.spam.example", false, kNow, listed, zone.err) == kOk);
  CHECK_THAT(listed.str(),
      Catch::Contains("entry:         *.spam.example :3:wild (" + zone.target.dataFile + ":1)"));
}
