#include "admin/managed_zone.hpp"
#include "shun/zone/gzip.hpp"
#include "temp_zone.hpp"

#include <catch2/catch.hpp>
#include <fstream>

using namespace shun::admin;
using shun::listing::JournalRecord;
using shun::store::DatasetType;

namespace {

// A data file and its journal.
struct FoldedZone : admintest::TempZone {
  std::string dataFile;

  FoldedZone(const std::string& data, const std::vector<JournalRecord>& records)
      : TempZone(data)
      , dataFile(target.dataFile)
  {
    if (!records.empty())
      write("bl.zone.journal", shun::listing::encodeJournalBlock(records));
  }
};

JournalRecord added(const std::string& key, const std::string& line)
{
  JournalRecord record;
  record.key = key;
  record.entryLine = line;
  record.listing.added = 1'795'000'000;
  return record;
}

JournalRecord removed(const std::string& key)
{
  JournalRecord record;
  record.kind = JournalRecord::Kind::Remove;
  record.listing.added = 1'795'000'000;
  record.key = key;
  return record;
}

} // namespace

TEST_CASE(
    "ManagedZone::render: a journalled key drops the file's exclusions, duplicates and respellings of it")
{
  // A full load erases every entry of a journalled key's range before the record applies
  // (zone::DatasetLoader::forgetKeys); the folded file must answer the same.
  FoldedZone zone("$SOA 60 ns.example. h.example. 1 600 300 86400 60\n"
                  ":127.0.0.2:Listed $\n"
                  "10.0.1.0/24\n"
                  "!10.0.1.5\n"
                  "10.0.1.5 :4:\n"
                  "!10.0.2.7\n"
                  "10.0.3.9 :3:\n"
                  "10.0.3.9 :6:\n"
                  "10.0.4 :5:\n"
                  "10.0.4.0-10.0.4.255 :6:\n"
                  "!10.0.9.9\n"
                  "10.0.8.0-10.0.9.255\n",
      { removed("10.0.1.5"), added("10.0.2.7", "10.0.2.7"), added("10.0.3.9", "10.0.3.9 :127.0.0.7"),
          added("10.0.4.0/24", "10.0.4.0/24 :127.0.0.8") });
  std::string rendered = ManagedZone::load(zone.dataFile, DatasetType::Ip4Set).render();
  CHECK(rendered
      == "$SOA 60 ns.example. h.example. 1 600 300 86400 60\n"
         ":127.0.0.2:Listed $\n"
         "10.0.1.0/24\n"
         "#@ added=2026-11-18T11:06:40Z\n"
         "10.0.3.9 :127.0.0.7\n"
         "!10.0.9.9\n"
         "10.0.8.0-10.0.9.255\n"
         "#@ added=2026-11-18T11:06:40Z\n"
         "10.0.2.7\n"
         "#@ added=2026-11-18T11:06:40Z\n"
         "10.0.4.0/24 :127.0.0.8\n");
}

TEST_CASE("ManagedZone::render: without a journal every line stays as written")
{
  FoldedZone zone("10.0.1.0/24\n!10.0.1.5\n10.0.1.5 :4:\n10.0.1.5 :5:\n", {});
  CHECK(ManagedZone::load(zone.dataFile, DatasetType::Ip4Trie).render()
      == "10.0.1.0/24\n!10.0.1.5\n10.0.1.5 :4:\n10.0.1.5 :5:\n");
}

TEST_CASE("managed zone: a corrupt journal is refused with its offset, a torn one is noted for the writer")
{
  std::string good = shun::listing::encodeJournalBlock({ added("192.0.2.7", "192.0.2.7") });
  FoldedZone zone("192.0.2.1\n", {});
  std::ofstream(zone.dataFile + ".journal")
      << good << "#@ added=1\n192.0.2.8\n#@commit records=1 crc=00000000\n";
  CHECK_THROWS_WITH(ManagedZone::load(zone.dataFile, DatasetType::Ip4Trie),
      Catch::Contains("corrupt at byte offset " + std::to_string(good.size())));
  std::ofstream(zone.dataFile + ".journal") << good << "#@ added=1\n192.0.2.";
  auto loaded = ManagedZone::load(zone.dataFile, DatasetType::Ip4Trie);
  CHECK(loaded.journalTorn());
  CHECK(loaded.journalCommitted() == good.size());
}

TEST_CASE("managed zone: a gzip data file is read decompressed and known to be gzip")
{
  FoldedZone zone("", {});
  std::ofstream(zone.dataFile, std::ios::binary) << shun::zone::gzip("192.0.2.1 :3:\n");
  auto loaded = ManagedZone::load(zone.dataFile, DatasetType::Ip4Trie);
  CHECK(loaded.gzipped());
  CHECK(loaded.render() == "192.0.2.1 :3:\n");
}
