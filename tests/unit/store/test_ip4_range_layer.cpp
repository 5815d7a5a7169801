#include "shun/store/ip4_range_layer.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <random>

using namespace shun::store;

namespace {

Ip4Entry entry(Ip4 first, Ip4 last, std::uint32_t origin)
{
  return { first, last, 24, false, 0, origin };
}

} // namespace

TEST_CASE("ip4 range layer: the entries within a window are exactly those that intersect it")
{
  std::mt19937 random(3);
  std::vector<Ip4Entry> entries;
  for (std::uint32_t i = 0; i < 3000; ++i) {
    unsigned length = 8 + random() % 25; // /8 .. /32: some span far more than a /16
    Ip4 size = length == 32 ? 1 : Ip4 { 1 } << (32 - length);
    Ip4 first = (0x0a000000 + random() % (1u << 26)) & ~(size - 1);
    entries.push_back(entry(first, first + (size - 1), i));
  }
  entries.push_back(entry(0, ~Ip4 {}, 5000)); // the whole space
  std::sort(entries.begin(), entries.end(), startsBefore);
  std::vector<std::uint32_t> longs = longIp4Ranges(entries);
  CHECK(std::all_of(longs.begin(), longs.end(),
      [&](std::uint32_t i) { return entries[i].last - entries[i].first >= kIp4LongRange - 1; }));
  for (int round = 0; round < 200; ++round) {
    Ip4 first = 0x0a000000 + random() % (1u << 26), last = first + random() % (1u << (random() % 20));
    std::vector<std::uint32_t> found, expected;
    forEachIp4EntryWithin(entries, longs, first, last, [&](const Ip4Entry& e) { found.push_back(e.origin); });
    for (const Ip4Entry& e : entries)
      if (e.first <= last && e.last >= first)
        expected.push_back(e.origin);
    std::sort(found.begin(), found.end());
    std::sort(expected.begin(), expected.end());
    REQUIRE(found == expected);
  }
}

TEST_CASE("ip4 range layer: an address answers from its window's map, elsewhere from the base's ranges")
{
  Ip4RangeLayer layer;
  layer.windows = { { 10, 19 }, { 30, 30 } };
  CHECK(layer.windowAt(9) == nullptr);
  CHECK(layer.windowAt(10) == &layer.windows[0]);
  CHECK(layer.windowAt(19) == &layer.windows[0]);
  CHECK(layer.windowAt(20) == nullptr);
  CHECK(layer.windowAt(30) == &layer.windows[1]);
  CHECK(layer.windowAt(31) == nullptr);
  Dataset base;
  CHECK(layer.find(base, 15).tables == &layer.tables);
  CHECK(layer.find(base, 25).tables == &base);
  CHECK_FALSE(layer.anyWithin(base, 0, 100)); // neither holds a range
}
