#include "incremental_test_util.hpp"
#include "zone/dataset_loader.hpp"
#include "zone/journal_changes.hpp"
#include "zone/snapshot_assembly.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <sys/resource.h>
#include <unistd.h>

using namespace zonetest;
using shun::listing::encodeJournalBlock;
using shun::zone::JournalRead;
using shun::zone::readJournalChanges;
using shun::zone::stampFile;

namespace {

// Loads dir/data with its journal as a full load does and returns how far it read the journal.
JournalRead fullRead(const TempDir& dir)
{
  shun::store::Dataset dataset;
  dataset.type = shun::store::DatasetType::Ip4Set;
  dataset.files = { dir.path() + "/data" };
  std::vector<shun::zone::Diagnostic> diagnostics;
  JournalRead read;
  shun::zone::loadDataset(dataset, {}, diagnostics, &read);
  return read;
}

// An ip4set file whose journal holds one block, read through by a full load: where every change set starts.
struct ReadJournal {
  TempDir dir;
  std::string journal;
  shun::zone::FileStamp stamp;
  JournalRead read;
  ReadJournal()
  {
    dir.write("data", "192.0.2.1\n");
    journal = dir.write("data.journal", encodeJournalBlock({ journalAdd("192.0.2.7") }));
    stamp = stampFile(journal);
    read = fullRead(dir);
  }
};

std::string readAll(const std::string& path)
{
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

} // namespace

TEST_CASE_METHOD(ReadJournal, "change set: only the blocks appended after the last read are decoded")
{
  CHECK(read.committed == static_cast<std::size_t>(stamp.size));
  appendTo(journal, encodeJournalBlock({ journalAdd("192.0.2.8"), journalAdd("192.0.2.9") }));
  auto changes = readJournalChanges(journal, stamp, read);
  REQUIRE(changes);
  REQUIRE(changes->records.size() == 2);
  CHECK(changes->records[0].key == "192.0.2.8");
  CHECK(changes->records[1].key == "192.0.2.9");
  CHECK(changes->through.committed == static_cast<std::size_t>(stampFile(journal).size));
}

TEST_CASE_METHOD(ReadJournal, "change set: a torn block appended is no change yet, and is read once complete")
{
  std::string block = encodeJournalBlock({ journalAdd("192.0.2.8") });
  appendTo(journal, block.substr(0, block.size() - 5));
  auto torn = readJournalChanges(journal, stamp, read);
  REQUIRE(torn);
  CHECK(torn->records.empty());
  CHECK(torn->through.committed == read.committed);
  appendTo(journal, block.substr(block.size() - 5));
  auto whole = readJournalChanges(journal, stamp, read);
  REQUIRE(whole);
  CHECK(whole->records.size() == 1);
}

TEST_CASE_METHOD(ReadJournal, "change set: a journal replaced, rewritten or removed is not a continuation")
{
  SECTION("replaced by rename (shunctl expire)")
  {
    replaceFile(dir, "data.journal", encodeJournalBlock({ journalAdd("192.0.2.6") }) + "more");
    CHECK_FALSE(readJournalChanges(journal, stamp, read));
  }
  SECTION("rewritten in place with a different prefix")
  {
    dir.write("data.journal",
        encodeJournalBlock({ journalAdd("192.0.2.5") }) + encodeJournalBlock({ journalAdd("192.0.2.8") }));
    CHECK_FALSE(readJournalChanges(journal, stampFile(journal), read));
  }
  SECTION("removed")
  {
    std::remove(journal.c_str());
    CHECK_FALSE(readJournalChanges(journal, stamp, read));
  }
}

TEST_CASE("change set: a journal that did not exist continues from its first byte")
{
  TempDir dir;
  dir.write("data", "192.0.2.1\n");
  JournalRead read = fullRead(dir);
  std::string journal = dir.path() + "/data.journal";
  auto stamp = stampFile(journal);
  CHECK_FALSE(stamp.exists);
  appendTo(journal, encodeJournalBlock({ journalAdd("192.0.2.7") }));
  auto changes = readJournalChanges(journal, stamp, read);
  REQUIRE(changes);
  CHECK(changes->records.size() == 1);
}

TEST_CASE("change set: applied, the dataset serves the file and the whole journal through the change")
{
  TempDir dir;
  std::string data = dir.write("data", "192.0.2.1\n");
  std::string journal = dir.write("data.journal", encodeJournalBlock({ journalAdd("192.0.2.7") }));
  auto result = shun::zone::loadSnapshot({ shun::zone::parseZoneSpec("bl.example:ip4set:" + data) }, {});
  auto previous = result.snapshot->datasets.at(0);
  auto stamp = stampFile(journal);
  JournalRead read = fullRead(dir);
  appendTo(journal, encodeJournalBlock({ journalAdd("192.0.2.8") }));
  auto changes = readJournalChanges(journal, stamp, read);
  REQUIRE(changes);
  std::vector<shun::zone::Diagnostic> diagnostics;
  auto next = shun::zone::applyJournalChanges(previous, *changes, {}, diagnostics);
  REQUIRE(next);
  CHECK(next != previous);
  CHECK(next->spec == previous->spec);
  for (unsigned last : { 1u, 7u, 8u })
    CHECK_FALSE(ip4Answers(*next, ip4(192, 0, 2, last)).empty());
  CHECK(ip4Answers(*next, ip4(192, 0, 2, 9)).empty());
}

TEST_CASE_METHOD(
    ReadJournal, "change set: the next change set continues after a long block and after a short one")
{
  std::string empty = encodeJournalBlock({}); // shorter than the bytes a continuation checks
  REQUIRE(empty.size() < JournalRead::kCheckedBytes);
  for (const std::string& block : { encodeJournalBlock({ journalAdd("192.0.2.8"), journalAdd("192.0.2.9") }),
           empty, encodeJournalBlock({ journalAdd("192.0.2.10") }) }) {
    appendTo(journal, block);
    auto changes = readJournalChanges(journal, stamp, read);
    REQUIRE(changes);
    CHECK(changes->through.committed == static_cast<std::size_t>(stampFile(journal).size));
    std::string text = readAll(journal);
    CHECK(changes->through.lastBytes
        == text.substr(text.size() - std::min(text.size(), JournalRead::kCheckedBytes)));
    read = changes->through;
    stamp = stampFile(journal);
  }
}

TEST_CASE("full load yielding: the dataset a full load builds, on a thread of its own; the caller's nice "
          "and errors stay")
{
  TempDir dir;
  std::string data = dir.write("data", "192.0.2.1\n");
  auto spec = shun::zone::parseZoneSpec("bl.example:ip4set:" + data);
  int nice = getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()));
  std::vector<shun::zone::Diagnostic> diagnostics;
  auto built = shun::zone::buildDatasetYielding(spec, {}, diagnostics, nullptr);
  REQUIRE(built);
  CHECK_FALSE(ip4Answers(*built, ip4(192, 0, 2, 1)).empty());
  CHECK(getpriority(PRIO_PROCESS, static_cast<id_t>(gettid())) == nice);
  spec.type = "no-such-type";
  CHECK_THROWS(shun::zone::buildDatasetYielding(spec, {}, diagnostics, nullptr));
}
