#include "shun/admin/editor.hpp"
#include "temp_zone.hpp"

#include <algorithm>
#include <catch2/catch.hpp>

using namespace shun::admin;
using shun::store::DatasetType;

namespace {

constexpr std::int64_t kNow = 1'795'000'000; // 2026-11-18, the injected clock

using admintest::TempZone;

AddOptions adding(const std::string& key)
{
  AddOptions options;
  options.keys = { key };
  return options;
}

ImportOptions importing(const std::string& file)
{
  ImportOptions options;
  options.file = file;
  return options;
}

// One row of the guard table: a key and what each writer must make of it in a zone of this type.
struct GuardCase {
  DatasetType type;
  std::string key;
  Outcome add, remove;
};

// The guard table every writer runs (the system tests run the same through shunctl and the web page).
const GuardCase kGuards[] = {
  { DatasetType::Ip4Trie, "127.0.0.1", Outcome::Refused, Outcome::NotListed },
  { DatasetType::Ip4Trie, "127.0.0.0/24", Outcome::Refused, Outcome::Refused },
  { DatasetType::Ip4Trie, "127.0.0.2", Outcome::Done, Outcome::Refused },
  { DatasetType::Ip4Trie, "192.0.2.200", Outcome::Refused, Outcome::NotListed }, // #@protect
  { DatasetType::Ip4Trie, "2001:db8::1", Outcome::BadArgument, Outcome::BadArgument },
  { DatasetType::Ip4Trie, "192.0.2.1/24", Outcome::BadArgument, Outcome::BadArgument },
  { DatasetType::Ip6Trie, "::ffff:7f00:1", Outcome::Refused, Outcome::NotListed },
  { DatasetType::Ip6Trie, "::ffff:7f00:2", Outcome::Done, Outcome::Refused },
  { DatasetType::DnSet, "invalid", Outcome::Refused, Outcome::NotListed },
  { DatasetType::DnSet, ".invalid", Outcome::Refused, Outcome::NotListed },
  { DatasetType::DnSet, "test", Outcome::Done, Outcome::Refused },
  { DatasetType::DnSet, "192.0.2.7", Outcome::BadArgument, Outcome::BadArgument },
};

const char* kProtectedZone = "#@protect 192.0.2.128/25 reason=\"shared relay\"\n";

} // namespace

TEST_CASE("editor: add and import refuse the same keys, remove and self-removal the same keys")
{
  for (const GuardCase& row : kGuards) {
    INFO(row.key);
    TempZone zone(kProtectedZone, row.type);
    EditResult added = ZoneEditor(zone.target).add(adding(row.key), kNow);
    CHECK(added.outcome == row.add);
    std::string file = zone.write("import.txt", "# header\n" + row.key + "\n");
    EditResult imported = ZoneEditor(zone.target).importFile(importing(file), kNow);
    CHECK(imported.outcome == row.add);
    if (row.add != Outcome::Done) {
      REQUIRE(imported.keys.size() == 1);
      CHECK(imported.keys[0].where == file + ":2");
      CHECK(imported.keys[0].reason == added.keys.at(0).reason);
      CHECK(zone.file(".journal").empty());
    }
    // The file spells the key canonically: add and remove read only the lines of the keys they change.
    std::string listedText = (added.keys.empty() ? row.key : added.keys[0].key) + "\n";
    TempZone listed(listedText, row.type);
    TempZone selfListed("#@selfremoval allowed=yes max=100\n" + listedText, row.type);
    Outcome removeExpected = row.remove == Outcome::NotListed ? Outcome::Done : row.remove;
    CHECK(ZoneEditor(listed.target).remove({ row.key }, "", "", kNow).outcome == removeExpected);
    CHECK(ZoneEditor(selfListed.target).selfRemove(row.key, "192.0.2.99", true, kNow).outcome
        == removeExpected);
  }
}

TEST_CASE("editor: --force lifts #@protect for add and import, never the RFC 5782 test points")
{
  TempZone zone(kProtectedZone);
  auto forced = adding("192.0.2.200");
  forced.force = true;
  CHECK(ZoneEditor(zone.target).add(forced, kNow).outcome == Outcome::Done);
  auto point = adding("127.0.0.1");
  point.force = true;
  CHECK(ZoneEditor(zone.target).add(point, kNow).outcome == Outcome::Refused);
  auto options = importing(zone.write("in.txt", "192.0.2.201\n"));
  options.force = true;
  CHECK(ZoneEditor(zone.target).importFile(options, kNow).outcome == Outcome::Done);
}

TEST_CASE("editor: add refuses a non-positive duration and an end in the past")
{
  TempZone zone("");
  auto zero = adding("192.0.2.1");
  zero.duration = 0;
  CHECK(ZoneEditor(zone.target).add(zero, kNow).outcome == Outcome::BadArgument);
  auto past = adding("192.0.2.1");
  past.until = kNow;
  EditResult result = ZoneEditor(zone.target).add(past, kNow);
  CHECK(result.outcome == Outcome::BadArgument);
  CHECK(result.reason == "--until 2026-11-18T11:06:40Z is in the past");
  CHECK(zone.file(".journal").empty());
}

TEST_CASE("editor: import reports every bad line with file:line and writes nothing")
{
  TempZone zone(kProtectedZone);
  std::string file = zone.write("in.txt",
      "$TTL 300\n:127.0.0.3:spam\n192.0.2.1\n10.0.0.1/8\n#@ bogus\n192.0.2.2\n127.0.0.1\n"
      "#@ expires=2020-01-01T00:00:00Z\n192.0.2.3\n!192.0.2.4\n192.0.2.129 :3:relay\n");
  EditResult result = ZoneEditor(zone.target).importFile(importing(file), kNow);
  CHECK(result.outcome == Outcome::BadArgument); // a bad line outranks a refusal
  std::vector<std::string> bad;
  for (const KeyResult& key : result.keys)
    if (key.outcome != Outcome::Done)
      bad.push_back(key.where);
  CHECK(bad
      == std::vector<std::string> {
          file + ":4", file + ":5", file + ":7", file + ":9", file + ":10", file + ":11" });
  CHECK(result.changed == 0);
  CHECK(zone.file(".journal").empty());
}

TEST_CASE("editor: import --skip-invalid writes the valid lines and counts the others")
{
  TempZone zone("");
  auto options
      = importing(zone.write("in.txt", "192.0.2.1\nnot-a-key\n#@ reason=\"x\"\n192.0.2.2 :3:spam\n"));
  options.skipInvalid = true;
  EditResult result = ZoneEditor(zone.target).importFile(options, kNow);
  CHECK(result.outcome == Outcome::Done);
  CHECK(result.changed == 2);
  CHECK(result.skipped == 1);
  std::string journal = zone.file(".journal");
  CHECK(journal.find("192.0.2.2 :3:spam") != std::string::npos);
  CHECK(journal.find("reason=x") != std::string::npos);
  CHECK(journal.find("source=import") != std::string::npos);
}

TEST_CASE("editor: import and expire dry runs say what they would do and write nothing")
{
  TempZone zone("#@ expires=2026-11-18T00:00:00Z\n192.0.2.9\n192.0.2.10\n");
  auto options = importing(zone.write("in.txt", "192.0.2.1\n"));
  options.dryRun = true;
  EditResult imported = ZoneEditor(zone.target).importFile(options, kNow);
  CHECK(imported.outcome == Outcome::Done);
  CHECK(imported.dryRun);
  CHECK(imported.changed == 1);
  CHECK(zone.file(".journal").empty());
  std::string before = zone.file();
  EditResult expired = ZoneEditor(zone.target).expire(true, kNow);
  REQUIRE(expired.keys.size() == 1);
  CHECK(expired.keys[0].key == "192.0.2.9");
  CHECK(zone.file() == before);
  CHECK(ZoneEditor(zone.target).expire(false, kNow).changed == 1);
  CHECK(zone.file().find("192.0.2.9") == std::string::npos);
}

TEST_CASE(
    "editor: self-removal follows the zone's policy, takes the exact entry only, and logs every request")
{
  TempZone zone("#@selfremoval allowed=yes max=1\n192.0.2.0/24\n192.0.3.7\n192.0.3.8\n");
  ZoneEditor editor(zone.target);
  EditResult range = editor.selfRemove("192.0.2.7", "198.51.100.1", true, kNow);
  CHECK((range.outcome == Outcome::Refused && range.logged == "refused-range"));
  CHECK(editor.selfRemove("192.0.9.9", "198.51.100.1", false, kNow).logged == "not-listed");
  EditResult granted = editor.selfRemove("192.0.3.7", "198.51.100.1", true, kNow);
  CHECK((granted.outcome == Outcome::Done && granted.logged == "granted"));
  CHECK(zone.file(".journal").find("self-removal from 198.51.100.1") != std::string::npos);
  EditResult again = editor.selfRemove("192.0.3.7", "198.51.100.1", true, kNow + 1);
  CHECK(again.logged == "refused-limit"); // max=1 per key
  CHECK(editor.selfRemove("192.0.3.8", "198.51.100.1", true, kNow).logged == "granted");
  std::string log = zone.file(".requests");
  CHECK(std::count(log.begin(), log.end(), '\n') == 5);
  TempZone closed("192.0.3.7\n");
  CHECK(ZoneEditor(closed.target).selfRemove("192.0.3.7", "198.51.100.1", true, kNow).logged
      == "refused-policy");
}

TEST_CASE("editor: an unreadable zone is Failed, not an exception")
{
  TempZone zone("");
  ZoneTarget target = zone.target;
  target.dataFile = (zone.directory / "missing-dir" / "bl.zone").string();
  CHECK(ZoneEditor(target).add(adding("192.0.2.1"), kNow).outcome == Outcome::Failed);
}

TEST_CASE("editor: a hand-spelled entry is found by the canonical key")
{
  TempZone ip6("2001:DB8:0::1\n", DatasetType::Ip6Trie);
  CHECK(ZoneEditor(ip6.target).remove({ "2001:db8::1" }, "", "", kNow).outcome == Outcome::Done);
  TempZone names("Bad.Example.\n", DatasetType::DnSet);
  CHECK(ZoneEditor(names.target).remove({ "bad.example" }, "", "", kNow).outcome == Outcome::Done);
}

TEST_CASE("editor: a positive RFC 5782 test point is listed without an end and refused with one")
{
  TempZone zone("#@policy default=7d\n");
  EditResult listed = ZoneEditor(zone.target).add(adding("127.0.0.2"), kNow);
  REQUIRE(listed.outcome == Outcome::Done);
  CHECK(listed.keys[0].expires == 0); // the zone's default duration does not apply
  auto ending = adding("127.0.0.2");
  ending.duration = 3600;
  CHECK(ZoneEditor(zone.target).add(ending, kNow).outcome == Outcome::Refused);
  CHECK(ZoneEditor(zone.target).add(adding("192.0.2.1"), kNow).keys[0].expires
      == kNow + std::int64_t { 7 } * 86400);
  std::string file = zone.write("in.txt", "#@ expires=2026-12-01T00:00:00Z\n127.0.0.2\n");
  EditResult imported = ZoneEditor(zone.target).importFile(importing(file), kNow);
  CHECK(imported.outcome == Outcome::Refused);
  CHECK(imported.keys.at(0).where == file + ":2");
}
