#include "shun/zone/records.hpp"
#include "zone/text.hpp"
#include "zone_test_util.hpp"

#include <catch2/catch.hpp>

using namespace zonetest;

namespace {

struct Line {
  std::string owner;
  std::uint16_t type;
  std::string rdata;
};

std::vector<Line> recordsOf(const shun::zone::LoadResult& loaded)
{
  struct Collect : shun::zone::RecordVisitor {
    std::vector<Line> lines;
    void record(const shun::zone::ZoneRecord& record) override
    {
      lines.push_back({ shun::zone::wireToText(record.owner), record.type, std::string(record.rdata) });
    }
  } collect;
  shun::zone::forEachRecord(loaded.snapshot->zones.at(0), 0, collect);
  return collect.lines;
}

std::string a(unsigned last)
{
  return std::string { 127, 0, 0, static_cast<char>(last) };
}

} // namespace

TEST_CASE("zone records: singles at both ends of a range override it there and cut it into singles")
{
  TempDir dir;
  auto loaded = loadOne(dir, "ip4trie", "10.0.0.0/24 :2:\n10.0.0.0 :3:\n10.0.0.255 :4:\n");
  auto lines = recordsOf(loaded);
  REQUIRE(lines.size() == 256);
  CHECK(lines.front().owner == "0.0.0.10");
  CHECK(lines.front().rdata == a(3));
  CHECK(lines[1].owner == "1.0.0.10");
  CHECK(lines[1].rdata == a(2));
  CHECK(lines.back().owner == "255.0.0.10");
  CHECK(lines.back().rdata == a(4));
}

TEST_CASE("zone records: an excluded single inside a /16 leaves /24 wildcards and its /24 expanded")
{
  TempDir dir;
  auto loaded = loadOne(dir, "ip4trie", "10.1.0.0/16 :2:\n!10.1.7.9\n10.2.0.0 :5:\n");
  auto lines = recordsOf(loaded);
  CHECK(lines.size() == 255 + 255 + 1);
  CHECK(std::count_if(lines.begin(), lines.end(), [](const Line& l) { return l.owner == "9.7.1.10"; }) == 0);
  CHECK(std::count_if(lines.begin(), lines.end(), [](const Line& l) { return l.owner == "*.6.1.10"; }) == 1);
  CHECK(lines.back().owner == "0.0.2.10");
}
