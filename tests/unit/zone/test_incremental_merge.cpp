#include "incremental_test_util.hpp"
#include "shun/store/overlay.hpp"
#include "shun/zone/incremental_loader.hpp"

#include <catch2/catch.hpp>
#include <future>

using namespace zonetest;
using Action = shun::zone::DatasetReport::Action;
using shun::listing::encodeJournalBlock;
using shun::listing::JournalRecord;
using shun::zone::IncrementalLoader;

namespace {

const std::string kSoa = "$SOA 60 ns.example. hostmaster.example. 100 600 300 86400 60\n";
constexpr std::size_t kMergeAt = 4; // small overlays merge: the tests need a handful of records

// Holds the merge thread before it reads, until released (at the latest when the test ends).
struct Gate {
  std::promise<void> promise;
  std::shared_future<void> future = promise.get_future().share();
  bool released = false;
  std::function<void()> hold() const
  {
    return [future = future] { future.wait(); };
  }
  void release()
  {
    if (!released)
      promise.set_value();
    released = true;
  }
};

// One ip4set zone with a journal, loaded by a loader that merges overlays of more than kMergeAt changes.
struct MergingZone {
  TempDir dir;
  std::string file = dir.write("big", kSoa + "198.51.100.1 :2:\n198.51.100.2 :2:\n10.0.0.0/8 :5:\n");
  std::string journal = file + ".journal";
  std::vector<shun::zone::ZoneSpec> specs { shun::zone::parseZoneSpec("big.example:ip4set:" + file) };
  Gate gate;
  IncrementalLoader loader { specs, {}, {}, { kMergeAt, {}, gate.hold() } };
  ~MergingZone() { gate.release(); } // before the loader joins its merge

  // Journals one block: adds of addresses listed with code, then removes.
  void journalBlock(
      const std::vector<std::string>& adds, unsigned code, const std::vector<std::string>& removes = {})
  {
    std::vector<JournalRecord> records;
    for (const std::string& key : adds) {
      records.push_back(journalAdd(key));
      records.back().entryLine = key + " :" + std::to_string(code) + ":";
    }
    for (const std::string& key : removes) {
      JournalRecord record;
      record.kind = JournalRecord::Kind::Remove;
      record.key = key;
      records.push_back(record);
    }
    appendTo(journal, encodeJournalBlock(records));
  }
};

const shun::store::Dataset& onlyDataset(const shun::store::Snapshot& snapshot)
{
  return *snapshot.zones.at(0).datasets.at(0).dataset;
}

std::vector<Action> actions(const shun::zone::LoadResult& result)
{
  std::vector<Action> out;
  for (const auto& report : result.datasets)
    out.push_back(report.action);
  return out;
}

// The answers for 198.51.100.0/24 and a few addresses of 10/8, for comparing datasets.
std::vector<std::vector<std::uint32_t>> answers(const shun::store::Dataset& dataset)
{
  std::vector<std::vector<std::uint32_t>> out;
  for (unsigned last = 0; last < 256; ++last)
    out.push_back(ip4Answers(dataset, ip4(198, 51, 100, last)));
  for (unsigned last = 0; last < 16; ++last)
    out.push_back(ip4Answers(dataset, ip4(10, 0, 0, last)));
  return out;
}

// What a full load of the file and its whole journal answers.
std::vector<std::vector<std::uint32_t>> fullLoadAnswers(const MergingZone& zone)
{
  auto full = shun::zone::loadSnapshot(zone.specs, {});
  return answers(onlyDataset(*full.snapshot));
}

std::vector<std::string> addresses(unsigned from, unsigned count)
{
  std::vector<std::string> out;
  for (unsigned last = from; last < from + count; ++last)
    out.push_back("198.51.100." + std::to_string(last));
  return out;
}

} // namespace

TEST_CASE("background merge: an overlay past mergeAt becomes a new base with the same answers and serial")
{
  MergingZone zone;
  zone.gate.release();
  zone.loader.load(1000);
  zone.journalBlock(addresses(10, kMergeAt + 2), 3, { "198.51.100.1" });
  auto applied = zone.loader.load(1001);
  REQUIRE(applied.snapshot);
  REQUIRE(onlyDataset(*applied.snapshot).overlay);
  CHECK(onlyDataset(*applied.snapshot).overlay->size() == kMergeAt + 3);
  zone.loader.waitForMerge();
  CHECK(zone.loader.mergeReady());
  auto merged = zone.loader.load(1002);
  REQUIRE(merged.snapshot);
  CHECK(actions(merged) == std::vector { Action::Merged });
  CHECK(merged.datasets[0].records == 0);
  CHECK_FALSE(onlyDataset(*merged.snapshot).overlay); // the changes are in the base now
  CHECK(answers(onlyDataset(*merged.snapshot)) == answers(onlyDataset(*applied.snapshot)));
  CHECK(answers(onlyDataset(*merged.snapshot)) == fullLoadAnswers(zone));
  const auto& before = applied.snapshot->zones.at(0);
  const auto& after = merged.snapshot->zones.at(0);
  CHECK(after.soa->serial == before.soa->serial); // not a new version of the zone
  CHECK(after.history == before.history);
  CHECK_FALSE(zone.loader.mergeReady());
  CHECK_FALSE(zone.loader.load(1003).snapshot);
}

TEST_CASE("background merge: change sets applied while it runs are laid over the merged base again")
{
  MergingZone zone;
  zone.loader.load(1000);
  zone.journalBlock(addresses(10, kMergeAt + 2), 3);
  zone.loader.load(1001); // starts the merge, held before it reads
  zone.journalBlock(addresses(100, 2), 4, { "198.51.100.2", "198.51.100.10" });
  auto during = zone.loader.load(1002);
  REQUIRE(during.snapshot);
  CHECK(actions(during) == std::vector { Action::ChangeSet });
  CHECK_FALSE(zone.loader.mergeReady());
  zone.gate.release();
  zone.loader.waitForMerge();
  auto merged = zone.loader.load(1003);
  REQUIRE(merged.snapshot);
  CHECK(actions(merged) == std::vector { Action::Merged });
  CHECK(merged.datasets[0].records == 4);
  REQUIRE(onlyDataset(*merged.snapshot).overlay);
  CHECK(onlyDataset(*merged.snapshot).overlay->size() == 4); // only those journaled since
  CHECK(answers(onlyDataset(*merged.snapshot)) == answers(onlyDataset(*during.snapshot)));
  CHECK(answers(onlyDataset(*merged.snapshot)) == fullLoadAnswers(zone));
  CHECK(merged.snapshot->zones.at(0).soa->serial == during.snapshot->zones.at(0).soa->serial);
  SECTION("and the next change set goes on the merged base")
  {
    zone.journalBlock(addresses(200, 1), 6);
    auto next = zone.loader.load(1004);
    REQUIRE(next.snapshot);
    CHECK(actions(next) == std::vector { Action::ChangeSet });
    CHECK(onlyDataset(*next.snapshot).overlay->base() == onlyDataset(*merged.snapshot).overlay->base());
    CHECK(answers(onlyDataset(*next.snapshot)) == fullLoadAnswers(zone));
  }
}

TEST_CASE("background merge: a base file changed while it runs discards it")
{
  MergingZone zone;
  zone.loader.load(1000);
  zone.journalBlock(addresses(10, kMergeAt + 2), 3);
  zone.loader.load(1001);
  replaceFile(zone.dir, "big", kSoa + "198.51.100.1 :7:\n");
  zone.gate.release();
  zone.loader.waitForMerge();
  auto next = zone.loader.load(1002);
  REQUIRE(next.snapshot);
  CHECK(actions(next) == std::vector { Action::Loaded }); // the new file, not the merge
  CHECK(answers(onlyDataset(*next.snapshot)) == fullLoadAnswers(zone));
}

TEST_CASE("background merge: a journal replaced while it runs discards it")
{
  MergingZone zone;
  zone.loader.load(1000);
  zone.journalBlock(addresses(10, kMergeAt + 2), 3);
  zone.loader.load(1001);
  std::rename(zone.journal.c_str(), (zone.dir.path() + "/old.journal").c_str()); // shunctl expire folds it
  zone.journalBlock(addresses(10, 1), 3);
  zone.gate.release();
  zone.loader.waitForMerge();
  auto next = zone.loader.load(1002);
  REQUIRE(next.snapshot);
  CHECK(actions(next) == std::vector { Action::Loaded });
  CHECK(answers(onlyDataset(*next.snapshot)) == fullLoadAnswers(zone));
}

TEST_CASE("background merge: a change set no overlay takes rebuilds at once and discards the merge")
{
  MergingZone zone;
  zone.loader.load(1000);
  zone.journalBlock(addresses(10, kMergeAt + 2), 3);
  zone.loader.load(1001);
  zone.journalBlock({ "198.51.100.128/25" }, 8);
  auto rebuilt = zone.loader.load(1002);
  REQUIRE(rebuilt.snapshot);
  CHECK_FALSE(onlyDataset(*rebuilt.snapshot).overlay);
  zone.gate.release();
  zone.loader.waitForMerge();
  CHECK_FALSE(zone.loader.load(1003).snapshot); // the merge is older than the served base
  CHECK(answers(onlyDataset(*rebuilt.snapshot)) == fullLoadAnswers(zone));
}

TEST_CASE("background merge: a dnset overlay that removes a listed name is merged at once")
{
  TempDir dir;
  std::string file = dir.write("names", kSoa + "spam.deep.ex :2:\nother.ex :3:\n");
  std::vector<shun::zone::ZoneSpec> specs { shun::zone::parseZoneSpec("bl.example:dnset:" + file) };
  IncrementalLoader loader { specs, {}, {}, { 1000, {}, {} } }; // far from mergeAt
  loader.load(1000);
  appendTo(file + ".journal", encodeJournalBlock({ journalAdd("new.ex") }));
  auto added = loader.load(1001);
  REQUIRE(added.snapshot);
  const auto& overlaid = onlyDataset(*added.snapshot);
  REQUIRE(overlaid.overlay);
  CHECK_FALSE(overlaid.overlay->hidesListedNames());
  CHECK(overlaid.findName(wireName("new.ex")).payload != shun::store::kNoPayload);
  CHECK_FALSE(loader.mergeReady());
  JournalRecord removal;
  removal.kind = JournalRecord::Kind::Remove;
  removal.key = "spam.deep.ex";
  appendTo(file + ".journal", encodeJournalBlock({ removal }));
  auto removed = loader.load(1002);
  REQUIRE(removed.snapshot);
  const auto& hiding = onlyDataset(*removed.snapshot);
  REQUIRE(hiding.overlay);
  CHECK(hiding.overlay->hidesListedNames());
  CHECK(hiding.findName(wireName("spam.deep.ex")).payload == shun::store::kNoPayload);
  CHECK(hiding.hasNameDescendant(wireName("deep.ex"))); // NODATA until the merge
  loader.waitForMerge();
  auto merged = loader.load(1003);
  REQUIRE(merged.snapshot);
  CHECK(actions(merged) == std::vector { Action::Merged });
  const auto& base = onlyDataset(*merged.snapshot);
  CHECK_FALSE(base.overlay);
  CHECK_FALSE(base.hasNameDescendant(wireName("deep.ex"))); // NXDOMAIN, as a full load
  CHECK(base.findName(wireName("new.ex")).payload != shun::store::kNoPayload);
}
