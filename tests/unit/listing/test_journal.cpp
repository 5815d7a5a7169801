#include "shun/listing/journal.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <zlib.h>

using namespace shun::listing;

namespace {

JournalRecord added(const std::string& key, const std::string& reason)
{
  JournalRecord record;
  record.key = key;
  record.entryLine = key + " :2:";
  record.listing.added = 1'795'000'000;
  record.listing.reason = reason;
  return record;
}

} // namespace

TEST_CASE("journal: committed blocks decode to the records written")
{
  JournalRecord removal;
  removal.kind = JournalRecord::Kind::Remove;
  removal.key = "192.0.2.9";
  removal.listing.reason = "delisted on request";
  std::string text = encodeJournalBlock({ added("192.0.2.7", "trap \"hits\""), removal })
      + encodeJournalBlock({ added("198.51.100.0/24", "") });
  auto contents = decodeJournal(text);
  REQUIRE(contents.records.size() == 3);
  CHECK(contents.records[0].key == "192.0.2.7");
  CHECK(contents.records[0].entryLine == "192.0.2.7 :2:");
  CHECK(contents.records[0].listing.reason == "trap \"hits\"");
  CHECK(contents.records[1].kind == JournalRecord::Kind::Remove);
  CHECK(contents.records[1].key == "192.0.2.9");
  CHECK(contents.records[1].listing.reason == "delisted on request");
  CHECK(contents.records[2].key == "198.51.100.0/24");
  CHECK_FALSE(contents.tornTail);
  CHECK(contents.committedBytes == text.size());
}

TEST_CASE("journal: a block torn by a crash is ignored, earlier blocks survive")
{
  std::string first = encodeJournalBlock({ added("192.0.2.1", "") });
  std::string second = encodeJournalBlock({ added("192.0.2.12", ""), added("192.0.2.13", "") });
  for (std::size_t cut = 1; cut < second.size(); ++cut) {
    auto contents = decodeJournal(first + second.substr(0, cut));
    INFO("cut at " << cut);
    REQUIRE(contents.records.size() == 1);
    CHECK(contents.records[0].key == "192.0.2.1");
    CHECK(contents.tornTail);
  }
}

TEST_CASE("journal: a damaged block in the middle is an error naming its offset, not a torn tail")
{
  std::string first = encodeJournalBlock({ added("192.0.2.1", "") });
  std::string second = encodeJournalBlock({ added("192.0.2.12", "") });
  second[second.find("192.0.2.12")] = '9'; // same length, wrong checksum
  auto contents = decodeJournal(first + second + encodeJournalBlock({ added("192.0.2.14", "") }));
  REQUIRE(contents.records.size() == 1);
  CHECK(contents.corrupt());
  CHECK_FALSE(contents.tornTail);
  CHECK(contents.committedBytes == first.size());
  CHECK(contents.error.find("byte offset " + std::to_string(first.size())) == 0);
}

TEST_CASE("journal: a block appended after a torn one is an error, so its change is never silently lost")
{
  std::string first = encodeJournalBlock({ added("192.0.2.1", "") });
  std::string torn = encodeJournalBlock({ added("192.0.2.2", "") });
  torn.resize(torn.size() - 5);
  auto contents = decodeJournal(first + torn + encodeJournalBlock({ added("192.0.2.3", "") }));
  CHECK(contents.corrupt());
  CHECK(contents.committedBytes == first.size());
  REQUIRE(contents.records.size() == 1);
}

TEST_CASE("journal: a commit line whose count does not match its records is an error")
{
  std::string block = encodeJournalBlock({ added("192.0.2.1", "") });
  std::string body = block.substr(0, block.find("#@commit"));
  auto crc = block.substr(block.find("crc="));
  auto contents = decodeJournal(body + "#@commit records=2 " + crc);
  CHECK(contents.corrupt());
  CHECK(contents.records.empty());
  CHECK(decodeJournal(body + "#@commit nonsense\n").corrupt());
}

TEST_CASE("journal: an empty journal and one of only a torn block decode to nothing, without error")
{
  CHECK_FALSE(decodeJournal("").corrupt());
  CHECK_FALSE(decodeJournal("").tornTail);
  auto torn = decodeJournal("#@ added=1\n192.0.2.1");
  CHECK(torn.tornTail);
  CHECK_FALSE(torn.corrupt());
  CHECK(torn.committedBytes == 0);
}

TEST_CASE("journal: a large batch is written as bounded blocks that decode to the same records")
{
  std::vector<JournalRecord> records;
  for (int i = 0; i < 10; ++i)
    records.push_back(added("192.0.2." + std::to_string(i), ""));
  std::string text = encodeJournal(records, 4);
  std::size_t commits = 0;
  for (auto at = text.find("#@commit"); at != std::string::npos; at = text.find("#@commit", at + 1))
    ++commits;
  CHECK(commits == 3);
  auto contents = decodeJournal(text);
  REQUIRE(contents.records.size() == 10);
  CHECK(contents.records[9].key == "192.0.2.9");
  CHECK(encodeJournal({}).find("#@commit records=0") == 0);
}

TEST_CASE("journal: a record's metadata is its own, the next record without one gets none")
{
  std::string body = "#@ reason=trap\n192.0.2.1\n192.0.2.2\n"; // as a hand-edited journal may hold it
  char commit[64];
  std::snprintf(commit, sizeof commit, "#@commit records=2 crc=%08lx\n",
      crc32(0L, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size())));
  auto contents = decodeJournal(body + commit);
  REQUIRE_FALSE(contents.corrupt());
  REQUIRE(contents.records.size() == 2);
  CHECK(contents.records[0].listing.reason == "trap");
  CHECK(contents.records[1].listing == Listing {});
}

TEST_CASE("journal: a bad block after good ones keeps the good blocks' records only")
{
  std::string good = encodeJournalBlock({ added("192.0.2.1", "a"), added("192.0.2.2", "b") });
  std::string block = encodeJournalBlock({ added("192.0.2.3", "c") });
  std::string body = block.substr(0, block.find("#@commit"));
  auto contents = decodeJournal(good + body + "#@commit records=2 " + block.substr(block.find("crc=")));
  CHECK(contents.corrupt());
  REQUIRE(contents.records.size() == 2);
  CHECK(contents.records[1].listing.reason == "b");
}
