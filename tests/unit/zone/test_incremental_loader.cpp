#include "incremental_test_util.hpp"
#include "shun/zone/incremental_loader.hpp"
#include "zone/zone_versions.hpp"

#include <catch2/catch.hpp>
#include <unistd.h>

using namespace zonetest;
using Action = shun::zone::DatasetReport::Action;
using shun::listing::encodeJournalBlock;
using shun::zone::IncrementalLoader;

namespace {

const std::string kSoa = "$SOA 60 ns.example. hostmaster.example. 100 600 300 86400 60\n";

// Two zones, each with its own ip4set file: small.example (data "small") and big.example ("big").
struct TwoZones {
  TempDir dir;
  std::string small = dir.write("small", kSoa + "192.0.2.1\n");
  std::string big = dir.write("big", kSoa + "198.51.100.1\n198.51.100.2\n");
  std::vector<shun::zone::ZoneSpec> specs { shun::zone::parseZoneSpec("small.example:ip4set:" + small),
    shun::zone::parseZoneSpec("big.example:ip4set:" + big) };
  std::string smallKey = "ip4set:" + small, bigKey = "ip4set:" + big;
};

const shun::store::Zone& zoneNamed(const shun::store::Snapshot& snapshot, const std::string& name)
{
  for (const auto& zone : snapshot.zones)
    if (zone.text == name)
      return zone;
  throw std::runtime_error("no zone " + name);
}

std::vector<Action> actions(const shun::zone::LoadResult& result)
{
  std::vector<Action> out;
  for (const auto& report : result.datasets)
    out.push_back(report.action);
  return out;
}

} // namespace

TEST_CASE("incremental load: nothing changed, nothing is loaded and no snapshot is made")
{
  TwoZones zones;
  IncrementalLoader loader(zones.specs, {});
  auto first = loader.load(1000);
  REQUIRE(first.snapshot);
  CHECK(first.datasets.size() == 2);
  CHECK_FALSE(loader.changed());
  auto second = loader.load(1001);
  CHECK_FALSE(second.snapshot);
  CHECK(second.datasets.empty());
}

TEST_CASE("incremental load: a changed file rebuilds only its dataset, the other is shared")
{
  TwoZones zones;
  IncrementalLoader loader(zones.specs, {});
  auto first = loader.load(1000);
  replaceFile(zones.dir, "small", kSoa + "192.0.2.1\n192.0.2.2\n");
  CHECK(loader.changed());
  CHECK_FALSE(loader.journalsChanged());
  auto second = loader.load(1001);
  REQUIRE(second.snapshot);
  REQUIRE(second.datasets.size() == 1);
  CHECK(second.datasets[0].dataset == zones.smallKey);
  CHECK(second.datasets[0].action == Action::Loaded);
  CHECK(datasetFor(*second.snapshot, zones.bigKey) == datasetFor(*first.snapshot, zones.bigKey));
  CHECK(datasetFor(*second.snapshot, zones.smallKey) != datasetFor(*first.snapshot, zones.smallKey));
  CHECK_FALSE(ip4Answers(*datasetFor(*second.snapshot, zones.smallKey), ip4(192, 0, 2, 2)).empty());
}

TEST_CASE("incremental load: a journal that grew is applied as a change set to its dataset only")
{
  TwoZones zones;
  IncrementalLoader loader(zones.specs, {});
  auto first = loader.load(1000);
  appendTo(zones.small + ".journal", encodeJournalBlock({ journalAdd("192.0.2.9") }));
  CHECK(loader.journalsChanged());
  auto second = loader.load(1001);
  REQUIRE(second.snapshot);
  CHECK(actions(second) == std::vector { Action::ChangeSet });
  CHECK(second.datasets[0].records == 1);
  CHECK(datasetFor(*second.snapshot, zones.bigKey) == datasetFor(*first.snapshot, zones.bigKey));
  CHECK_FALSE(ip4Answers(*datasetFor(*second.snapshot, zones.smallKey), ip4(192, 0, 2, 9)).empty());
  const auto& history = *zoneNamed(*second.snapshot, "small.example").history;
  REQUIRE(history.changes.size() == 1);
  CHECK(history.changes[0]->incremental());
  CHECK(history.changes[0]->datasets.at(0).records->at(0).key == "192.0.2.9");
  CHECK(zoneNamed(*second.snapshot, "big.example").history->changes.empty());
}

TEST_CASE("incremental load: a journal replaced or removed with the file unchanged reloads the dataset")
{
  TwoZones zones;
  appendTo(zones.small + ".journal", encodeJournalBlock({ journalAdd("192.0.2.9") }));
  IncrementalLoader loader(zones.specs, {});
  auto first = loader.load(1000);
  CHECK_FALSE(ip4Answers(*datasetFor(*first.snapshot, zones.smallKey), ip4(192, 0, 2, 9)).empty());
  std::remove((zones.small + ".journal").c_str());
  auto second = loader.load(1001);
  REQUIRE(second.snapshot);
  CHECK(actions(second) == std::vector { Action::Loaded });
  CHECK(ip4Answers(*datasetFor(*second.snapshot, zones.smallKey), ip4(192, 0, 2, 9)).empty());
}

TEST_CASE("incremental load: a dataset whose reload has errors keeps its previous version, others move on")
{
  TwoZones zones;
  IncrementalLoader loader(zones.specs, {});
  auto first = loader.load(1000);
  replaceFile(zones.dir, "big", kSoa + "198.51.100.1\nnot-an-address\n");
  appendTo(zones.small + ".journal", encodeJournalBlock({ journalAdd("192.0.2.9") }));
  auto second = loader.load(1001);
  REQUIRE(second.snapshot);
  CHECK(second.hasErrors());
  std::vector<Action> expected { Action::ChangeSet, Action::KeptPrevious };
  CHECK(actions(second) == expected);
  CHECK(datasetFor(*second.snapshot, zones.bigKey) == datasetFor(*first.snapshot, zones.bigKey));
  CHECK_FALSE(ip4Answers(*datasetFor(*second.snapshot, zones.smallKey), ip4(192, 0, 2, 9)).empty());
  CHECK(messages(second, zones.dir)
      == std::vector<std::string> { "big:3: invalid address \"not-an-address\"" });
  SECTION("the broken file is not read again until it changes")
  {
    CHECK_FALSE(loader.load(1002).snapshot);
    replaceFile(zones.dir, "big", kSoa + "198.51.100.7\n");
    auto fixed = loader.load(1003);
    REQUIRE(fixed.snapshot);
    CHECK(actions(fixed) == std::vector { Action::Loaded });
    CHECK_FALSE(ip4Answers(*datasetFor(*fixed.snapshot, zones.bigKey), ip4(198, 51, 100, 7)).empty());
  }
}

TEST_CASE("incremental load: a journal that grows while the file is broken applies to the last good version")
{
  TwoZones zones;
  IncrementalLoader loader(zones.specs, {});
  REQUIRE(loader.load(1000).snapshot);
  SECTION("the file broke and the journal grew before the same load")
  {
    replaceFile(zones.dir, "big", kSoa + "198.51.100.1\nnot-an-address\n");
    appendTo(zones.big + ".journal", encodeJournalBlock({ journalAdd("192.0.2.9") }));
    auto second = loader.load(1001);
    REQUIRE(second.snapshot);
    CHECK(actions(second) == std::vector { Action::KeptPrevious, Action::ChangeSet });
    CHECK(second.datasets[1].onPreviousData);
    const auto& changed = *datasetFor(*second.snapshot, zones.bigKey);
    CHECK_FALSE(ip4Answers(changed, ip4(192, 0, 2, 9)).empty());
    CHECK_FALSE(ip4Answers(changed, ip4(198, 51, 100, 2)).empty()); // the last good file's data
  }
  SECTION("the broken file was seen first")
  {
    replaceFile(zones.dir, "big", kSoa + "198.51.100.1\nnot-an-address\n");
    CHECK(actions(loader.load(1001)) == std::vector { Action::KeptPrevious });
    appendTo(zones.big + ".journal", encodeJournalBlock({ journalAdd("192.0.2.9") }));
    auto third = loader.load(1002);
    REQUIRE(third.snapshot);
    CHECK(actions(third) == std::vector { Action::ChangeSet });
    CHECK(third.datasets[0].onPreviousData);
    CHECK_FALSE(ip4Answers(*datasetFor(*third.snapshot, zones.bigKey), ip4(192, 0, 2, 9)).empty());
    SECTION("the fixed file is loaded with the journal")
    {
      replaceFile(zones.dir, "big", kSoa + "198.51.100.7\n");
      auto fixed = loader.load(1003);
      REQUIRE(fixed.snapshot);
      CHECK(actions(fixed) == std::vector { Action::Loaded });
      const auto& loaded = *datasetFor(*fixed.snapshot, zones.bigKey);
      CHECK_FALSE(ip4Answers(loaded, ip4(198, 51, 100, 7)).empty());
      CHECK_FALSE(ip4Answers(loaded, ip4(192, 0, 2, 9)).empty());
    }
  }
  SECTION("a broken file alone is only reported")
  {
    replaceFile(zones.dir, "big", kSoa + "not-an-address\n");
    auto second = loader.load(1001);
    CHECK(actions(second) == std::vector { Action::KeptPrevious });
    CHECK_FALSE(second.snapshot); // nothing new to serve: the good version stays
  }
}

TEST_CASE("incremental load: the first load keeps a dataset with errors for the caller to judge")
{
  TwoZones zones;
  replaceFile(zones.dir, "big", kSoa + "bad\n");
  IncrementalLoader loader(zones.specs, {});
  auto first = loader.load(1000);
  REQUIRE(first.snapshot);
  CHECK(first.hasErrors());
  CHECK(actions(first) == std::vector { Action::Loaded, Action::Loaded });
  SECTION("and a change set to it is applied when it adds no error of its own (-q)")
  {
    appendTo(zones.big + ".journal", encodeJournalBlock({ journalAdd("198.51.100.9") }));
    auto second = loader.load(1001);
    REQUIRE(second.snapshot);
    CHECK(actions(second) == std::vector { Action::ChangeSet });
    CHECK_FALSE(ip4Answers(*datasetFor(*second.snapshot, zones.bigKey), ip4(198, 51, 100, 9)).empty());
  }
}

TEST_CASE("incremental load: journal progress counts the bytes of the journal the served version holds")
{
  TwoZones zones;
  IncrementalLoader loader(zones.specs, {});
  loader.load(1000);
  auto block = encodeJournalBlock({ journalAdd("192.0.2.9") });
  appendTo(zones.small + ".journal", block);
  auto before = loader.journalProgress();
  REQUIRE(before.size() == 2);
  CHECK(before[0].dataset == zones.smallKey);
  CHECK(before[0].journal == zones.small + ".journal");
  CHECK(before[0].applied == 0);
  loader.load(1001);
  CHECK(loader.journalProgress()[0].applied == block.size());
  CHECK(loader.journalProgress()[1].applied == 0);
}
