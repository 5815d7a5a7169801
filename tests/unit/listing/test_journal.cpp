#include "shun/listing/journal.hpp"

#include <catch2/catch.hpp>

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

TEST_CASE("journal: a corrupted block stops decoding there")
{
  std::string first = encodeJournalBlock({ added("192.0.2.1", "") });
  std::string second = encodeJournalBlock({ added("192.0.2.12", "") });
  second[second.find("192.0.2.12")] = '9'; // same length, wrong checksum
  auto contents = decodeJournal(first + second + encodeJournalBlock({ added("192.0.2.14", "") }));
  REQUIRE(contents.records.size() == 1);
  CHECK(contents.tornTail);
}
