#include "shun/store/ip4_range_layer.hpp"
#include "shun/store/ip_map.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <optional>
#include <random>
#include <tuple>

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

TEST_CASE(
    "ip4 map builder: the range layer holds every range and each excluded single, in order, at its size")
{
  for (Overlap overlap : { Overlap::LongestPrefix, Overlap::UnionPerLevel }) {
    std::mt19937 random(7);
    Ip4MapBuilder builder(overlap);
    std::vector<Ip4Entry> ranges;
    std::vector<std::pair<Ip4, std::uint32_t>> singles; // address, origin (exclusions have odd origins)
    // More ranges than a sweep retires between two hand-backs of its pages (kRetireEvery), so the layer
    // is written while the sweep runs; singles at the ranges' first addresses tie with them.
    for (std::uint32_t origin = 1; origin <= 60000; ++origin) {
      Ip4 first = 0x0a000000 + random() % (1u << 24);
      bool exclusion = origin % 2 == 1;
      if (random() % 3 == 0) {
        unsigned length = overlap == Overlap::LongestPrefix ? 16 + random() % 16 : 8 * (1 + random() % 3);
        first &= ~Ip4 {} << (32 - length);
        Ip4 last = first | (~Ip4 {} >> length);
        ranges.push_back({ first, last, static_cast<std::uint8_t>(length), exclusion, 1, origin });
        builder.add(first, last, static_cast<std::uint8_t>(length), 1, exclusion, origin);
      } else {
        singles.emplace_back(random() % 4 == 0 && !ranges.empty() ? ranges.back().first : first, origin);
        builder.add(singles.back().first, singles.back().first, 32, 2, exclusion, origin);
      }
    }
    std::vector<Ip4Entry> expected = ranges;
    std::sort(singles.begin(), singles.end());
    for (std::size_t i = 0; i < singles.size();) {
      std::size_t at = i;
      std::optional<std::uint32_t> excludedBy;
      for (; i < singles.size() && singles[i].first == singles[at].first; ++i)
        if (!excludedBy && singles[i].second % 2 == 1 && (overlap == Overlap::UnionPerLevel || i == at))
          excludedBy = singles[i].second;
      if (excludedBy)
        expected.push_back({ singles[at].first, singles[at].first, 32, true, 0, *excludedBy });
    }
    std::sort(expected.begin(), expected.end(), startsBefore);
    ValueSets sets;
    std::vector<std::uint32_t> dropped;
    std::vector<Ip4Entry> layer;
    builder.build(sets, dropped, &layer);
    REQUIRE(layer.size() == expected.size());
    CHECK(layer.capacity() == layer.size()); // no room left over from growing copies
    for (std::size_t i = 0; i < layer.size(); ++i) {
      INFO("entry " << i);
      REQUIRE(std::tie(layer[i].first, layer[i].last, layer[i].priority, layer[i].exclusion, layer[i].origin)
          == std::tie(expected[i].first, expected[i].last, expected[i].priority, expected[i].exclusion,
              expected[i].origin));
      if (!layer[i].exclusion)
        REQUIRE(layer[i].value == expected[i].value);
    }
  }
}
