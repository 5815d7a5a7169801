#include "incremental_test_util.hpp"
#include "shun/zone/incremental_loader.hpp"
#include "zone/zone_versions.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <sys/stat.h>

using namespace zonetest;
using shun::listing::encodeJournalBlock;
using shun::zone::IncrementalLoader;

namespace {

std::string soaWithSerial(unsigned serial)
{
  return "$SOA 60 ns.example. hostmaster.example. " + std::to_string(serial) + " 600 300 86400 60\n";
}

std::uint32_t serialOf(const shun::zone::LoadResult& result)
{
  return result.snapshot->zones.at(0).soa->serial;
}

struct OneZone {
  TempDir dir;
  std::string data = dir.write("data", soaWithSerial(100) + "192.0.2.1\n");
  std::vector<shun::zone::ZoneSpec> specs { shun::zone::parseZoneSpec("bl.example:ip4set:" + data) };
  void add(const std::string& key) const
  {
    appendTo(data + ".journal", encodeJournalBlock({ journalAdd(key) }));
  }
};

} // namespace

TEST_CASE("versions: the first serial is the data's, a change set moves it on by one")
{
  OneZone zone;
  IncrementalLoader loader(zone.specs, {});
  auto first = loader.load(1000);
  CHECK(serialOf(first) == 100);
  zone.add("192.0.2.9");
  auto second = loader.load(1001);
  CHECK(serialOf(second) == 101);
  const auto& change = *second.snapshot->zones.at(0).history->changes.at(0);
  CHECK(change.from == 100);
  CHECK(change.to == 101);
}

TEST_CASE("versions: a greater $SOA serial in the file is taken as it is, a smaller one never")
{
  OneZone zone;
  IncrementalLoader loader(zone.specs, {});
  loader.load(1000);
  replaceFile(zone.dir, "data", soaWithSerial(500) + "192.0.2.1\n");
  auto raised = loader.load(1001);
  CHECK(serialOf(raised) == 500);
  CHECK_FALSE(raised.snapshot->zones.at(0).history->changes.at(0)->incremental());
  replaceFile(zone.dir, "data", soaWithSerial(7) + "192.0.2.1\n");
  CHECK(serialOf(loader.load(1002)) == 501);
}

TEST_CASE("versions: serial 0 is the newest data file's mtime, as rbldnsd gives it")
{
  TempDir dir;
  std::string data = dir.write("data", soaWithSerial(0) + "192.0.2.1\n");
  IncrementalLoader loader({ shun::zone::parseZoneSpec("bl.example:ip4set:" + data) }, {});
  struct stat info { };
  REQUIRE(::stat(data.c_str(), &info) == 0);
  CHECK(serialOf(loader.load(1000)) == static_cast<std::uint32_t>(info.st_mtime));
}

TEST_CASE("versions: the serial survives a restart, and moves on if the data changed meanwhile")
{
  OneZone zone;
  {
    IncrementalLoader loader(zone.specs, {});
    loader.load(1000);
    zone.add("192.0.2.9");
    CHECK(serialOf(loader.load(1001)) == 101);
    CHECK(loader.saveVersions().empty());
  }
  auto persisted = shun::zone::readSerialFile(zone.dir.path() + "/.bl.example.serial");
  REQUIRE(persisted);
  CHECK(persisted->serial == 101);
  {
    IncrementalLoader restarted(zone.specs, {});
    CHECK(serialOf(restarted.load(2000)) == 101);
    restarted.saveVersions();
  }
  zone.add("192.0.2.10");
  IncrementalLoader changed(zone.specs, {});
  CHECK(serialOf(changed.load(3000)) == 102);
}

TEST_CASE("versions: a serial file that cannot be written is a warning, given once")
{
  OneZone zone;
  std::filesystem::create_directory(zone.dir.path() + "/.bl.example.serial.tmp"); // open() fails on it
  IncrementalLoader loader(zone.specs, {});
  loader.load(1000);
  auto warnings = loader.saveVersions();
  REQUIRE(warnings.size() == 1);
  CHECK_FALSE(warnings[0].error);
  CHECK(warnings[0].message.find("serial of zone bl.example") != std::string::npos);
  zone.add("192.0.2.9");
  loader.load(1001);
  CHECK(loader.saveVersions().empty());
}

TEST_CASE("versions: the history keeps the last N change sets")
{
  OneZone zone;
  shun::zone::VersionOptions options;
  options.historyLimit = 2;
  IncrementalLoader loader(zone.specs, {}, options);
  loader.load(1000);
  shun::zone::LoadResult last;
  for (int i = 0; i < 3; ++i) {
    zone.add("192.0.2." + std::to_string(10 + i));
    last = loader.load(1001 + i);
  }
  const auto& changes = last.snapshot->zones.at(0).history->changes;
  REQUIRE(changes.size() == 2);
  CHECK(changes[0]->from == 101);
  CHECK(changes[1]->to == 103);
  CHECK(changes[1]->datasets.at(0).records->at(0).key == "192.0.2.12");
}

TEST_CASE("versions: nothing persisted when asked not to")
{
  OneZone zone;
  shun::zone::VersionOptions options;
  options.persist = false;
  IncrementalLoader loader(zone.specs, {}, options);
  loader.load(1000);
  loader.saveVersions();
  CHECK_FALSE(std::filesystem::exists(zone.dir.path() + "/.bl.example.serial"));
}

TEST_CASE("zone versions: a serial file lives in the state directory when one is given, else beside the data")
{
  using shun::zone::serialFilePath;
  CHECK(serialFilePath("bl.example", "/srv/zones/bl.ip4", "") == "/srv/zones/.bl.example.serial");
  CHECK(serialFilePath("bl.example", "bl.ip4", "") == ".bl.example.serial");
  CHECK(serialFilePath("bl.example", "/srv/zones/bl.ip4", "/var/lib/shun")
      == "/var/lib/shun/.bl.example.serial");
  CHECK(serialFilePath("bl.example", "/srv/zones/bl.ip4", "/var/lib/shun/")
      == "/var/lib/shun/.bl.example.serial");
}
