#include "shun/store/ip_map.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <random>
#include <tuple>

using namespace shun::store;

namespace {

constexpr Ip4 ip(unsigned a, unsigned b, unsigned c, unsigned d)
{
  return (a << 24) | (b << 16) | (c << 8) | d;
}

// Last address of base/length (a shift by 32 would be undefined).
constexpr Ip4 lastOf(Ip4 base, unsigned length)
{
  return length == 32 ? base : base | (~Ip4 {} >> length);
}

struct Fixture {
  ValueSets sets;
  std::vector<std::uint32_t> dropped;
  Ip4MapBuilder builder;
  std::uint32_t line = 0;
  explicit Fixture(Overlap overlap)
      : builder(overlap)
  {
  }

  void cidr(Ip4 base, unsigned length, ValueId value, bool exclusion = false)
  {
    Ip4 last = lastOf(base, length);
    builder.add(base, last, static_cast<std::uint8_t>(length), value, exclusion, ++line);
  }
  Ip4Map build() { return builder.build(sets, dropped); }
  std::vector<ValueId> values(const Ip4Map& map, Ip4 address)
  {
    std::uint32_t payload = map.find(address);
    if (payload == kNoPayload)
      return {};
    auto span = sets.set(payload);
    return { span.begin(), span.end() };
  }
};

} // namespace

TEST_CASE("ip4trie: the longest prefix decides")
{
  Fixture f(Overlap::LongestPrefix);
  f.cidr(ip(10, 0, 0, 0), 8, 1);
  f.cidr(ip(10, 1, 0, 0), 16, 2);
  f.cidr(ip(10, 1, 2, 3), 32, 3);
  auto map = f.build();
  CHECK(f.values(map, ip(10, 9, 9, 9)) == std::vector<ValueId> { 1 });
  CHECK(f.values(map, ip(10, 1, 9, 9)) == std::vector<ValueId> { 2 });
  CHECK(f.values(map, ip(10, 1, 2, 3)) == std::vector<ValueId> { 3 });
  CHECK(f.values(map, ip(10, 1, 2, 4)) == std::vector<ValueId> { 2 });
  CHECK(f.values(map, ip(11, 0, 0, 0)).empty());
  CHECK(f.values(map, ip(9, 255, 255, 255)).empty());
}

TEST_CASE("ip4trie: an exclusion inside a listed /24 is not listed")
{
  Fixture f(Overlap::LongestPrefix);
  f.cidr(ip(192, 0, 2, 0), 24, 1);
  f.cidr(ip(192, 0, 2, 7), 32, 0, true);
  auto map = f.build();
  CHECK(f.values(map, ip(192, 0, 2, 6)) == std::vector<ValueId> { 1 });
  CHECK(f.values(map, ip(192, 0, 2, 7)).empty());
  CHECK(f.values(map, ip(192, 0, 2, 8)) == std::vector<ValueId> { 1 });
}

TEST_CASE("ip4trie: exclusions at every prefix boundary cut exactly their block")
{
  for (unsigned length = 9; length <= 32; ++length) {
    Fixture f(Overlap::LongestPrefix);
    f.cidr(ip(10, 0, 0, 0), 8, 1);
    Ip4 hole = ip(10, 128, 0, 0); // a block at the very middle of the /8
    f.cidr(hole, length, 0, true);
    auto map = f.build();
    Ip4 holeLast = lastOf(hole, length);
    INFO("exclusion length " << length);
    CHECK(f.values(map, hole - 1) == std::vector<ValueId> { 1 });
    CHECK(f.values(map, hole).empty());
    CHECK(f.values(map, holeLast).empty());
    if (holeLast != ip(10, 255, 255, 255))
      CHECK(f.values(map, holeLast + 1) == std::vector<ValueId> { 1 });
  }
}

TEST_CASE("ip4trie: a duplicate prefix keeps the first and reports the second")
{
  Fixture f(Overlap::LongestPrefix);
  f.cidr(ip(1, 2, 3, 4), 32, 1);
  f.cidr(ip(1, 2, 3, 4), 32, 2);
  f.cidr(ip(5, 0, 0, 0), 8, 3);
  f.cidr(ip(5, 0, 0, 0), 8, 4);
  auto map = f.build();
  CHECK(f.values(map, ip(1, 2, 3, 4)) == std::vector<ValueId> { 1 });
  CHECK(f.values(map, ip(5, 6, 7, 8)) == std::vector<ValueId> { 3 });
  std::sort(f.dropped.begin(), f.dropped.end());
  CHECK(f.dropped == std::vector<std::uint32_t> { 2, 4 });
}

TEST_CASE("ip4trie: 0/0 and the last address are handled")
{
  Fixture f(Overlap::LongestPrefix);
  f.cidr(0, 0, 1);
  f.cidr(ip(255, 255, 255, 255), 32, 0, true);
  auto map = f.build();
  CHECK(f.values(map, 0) == std::vector<ValueId> { 1 });
  CHECK(f.values(map, ip(255, 255, 255, 254)) == std::vector<ValueId> { 1 });
  CHECK(f.values(map, ip(255, 255, 255, 255)).empty());
}

TEST_CASE("ip4set: all values at the most specific level are returned")
{
  Fixture f(Overlap::UnionPerLevel);
  f.cidr(ip(1, 2, 3, 4), 32, 1);
  f.cidr(ip(1, 2, 3, 4), 32, 2);
  f.cidr(ip(1, 2, 3, 0), 24, 3);
  auto map = f.build();
  CHECK(f.values(map, ip(1, 2, 3, 4)) == std::vector<ValueId> { 1, 2 });
  CHECK(f.values(map, ip(1, 2, 3, 5)) == std::vector<ValueId> { 3 });
  CHECK(f.dropped.empty());
}

TEST_CASE("ip4set: a wider exclusion does not remove a more specific listing")
{
  Fixture f(Overlap::UnionPerLevel);
  f.cidr(ip(1, 2, 3, 4), 32, 1);
  f.cidr(ip(1, 2, 3, 0), 24, 0, true);
  auto map = f.build();
  CHECK(f.values(map, ip(1, 2, 3, 4)) == std::vector<ValueId> { 1 });
  CHECK(f.values(map, ip(1, 2, 3, 5)).empty());
}

TEST_CASE("ip4set: an exclusion at the same level wipes every value there")
{
  Fixture f(Overlap::UnionPerLevel);
  f.cidr(ip(10, 0, 0, 0), 8, 1);
  f.cidr(ip(10, 1, 2, 3), 32, 0, true);
  f.cidr(ip(7, 7, 7, 7), 32, 2);
  f.cidr(ip(7, 7, 7, 7), 32, 0, true);
  auto map = f.build();
  CHECK(f.values(map, ip(10, 1, 2, 3)).empty());
  CHECK(f.values(map, ip(10, 1, 2, 4)) == std::vector<ValueId> { 1 });
  CHECK(f.values(map, ip(7, 7, 7, 7)).empty());
}

TEST_CASE("ip4set: a level-32 range merges with single addresses inside it")
{
  Fixture f(Overlap::UnionPerLevel);
  f.builder.add(ip(1, 1, 1, 0), ip(1, 1, 1, 127), 32, 1, false, 1); // a /25 is octet level 32
  f.builder.add(ip(1, 1, 1, 5), ip(1, 1, 1, 5), 32, 2, false, 2);
  auto map = f.build();
  CHECK(f.values(map, ip(1, 1, 1, 5)) == std::vector<ValueId> { 1, 2 });
  CHECK(f.values(map, ip(1, 1, 1, 6)) == std::vector<ValueId> { 1 });
  CHECK(f.values(map, ip(1, 1, 1, 128)).empty());
}

TEST_CASE("ip4 map: anyWithin finds listed entries inside a block and ignores holes")
{
  Fixture f(Overlap::LongestPrefix);
  f.cidr(ip(127, 0, 0, 2), 32, 1);
  f.cidr(ip(10, 0, 0, 0), 16, 1);
  f.cidr(ip(10, 0, 0, 0), 24, 0, true);
  f.cidr(ip(99, 0, 0, 0), 32, 0, true);
  auto map = f.build();
  CHECK(map.anyWithin(ip(127, 0, 0, 0), ip(127, 255, 255, 255)));
  CHECK(map.anyWithin(ip(127, 0, 0, 0), ip(127, 0, 0, 255)));
  CHECK_FALSE(map.anyWithin(ip(127, 0, 1, 0), ip(127, 0, 1, 255)));
  CHECK_FALSE(map.anyWithin(ip(10, 0, 0, 0), ip(10, 0, 0, 255)));
  CHECK(map.anyWithin(ip(10, 0, 1, 0), ip(10, 0, 1, 255)));
  CHECK_FALSE(map.anyWithin(ip(99, 0, 0, 0), ip(99, 255, 255, 255)));
}

TEST_CASE("ip4 map: forEach lists ranges and the single addresses that override them, in order")
{
  Fixture f(Overlap::LongestPrefix);
  f.cidr(ip(10, 0, 0, 0), 24, 1);
  f.cidr(ip(10, 0, 0, 9), 32, 2);
  f.cidr(ip(9, 0, 0, 1), 32, 1);
  auto map = f.build();
  std::vector<std::pair<Ip4, Ip4>> seen;
  map.forEach([&](Ip4 first, Ip4 last, std::uint32_t) { seen.emplace_back(first, last); });
  REQUIRE(seen.size() == 3);
  CHECK(seen[0] == std::pair(ip(9, 0, 0, 1), ip(9, 0, 0, 1)));
  CHECK(seen[1] == std::pair(ip(10, 0, 0, 0), ip(10, 0, 0, 255)));
  CHECK(seen[2] == std::pair(ip(10, 0, 0, 9), ip(10, 0, 0, 9)));
  Fixture g(Overlap::LongestPrefix);
  g.cidr(ip(10, 0, 0, 0), 24, 1);
  g.cidr(ip(10, 0, 0, 9), 32, 0, true);
  auto holed = g.build();
  std::vector<std::uint32_t> payloads;
  holed.forEach([&](Ip4, Ip4, std::uint32_t payload) { payloads.push_back(payload); });
  CHECK(payloads.size() == 2);
  CHECK(payloads.back() == kNoPayload);
}

TEST_CASE("ip4 map: random prefixes answer like a brute-force longest-prefix model")
{
  std::mt19937 random(12345);
  struct Prefix {
    Ip4 first, last;
    unsigned length;
    bool exclusion;
    ValueId value;
  };
  std::vector<Prefix> prefixes;
  Fixture f(Overlap::LongestPrefix);
  for (int i = 0; i < 3000; ++i) {
    unsigned length = 16 + random() % 17;
    Ip4 base = (ip(10, 0, 0, 0) | (random() & 0x000fffff)) & ~(lastOf(0, length));
    bool exclusion = random() % 5 == 0;
    ValueId value = random() % 7;
    Ip4 last = lastOf(base, length);
    bool duplicate = std::any_of(prefixes.begin(), prefixes.end(),
        [&](const Prefix& p) { return p.first == base && p.length == length; });
    if (duplicate)
      continue;
    prefixes.push_back({ base, last, length, exclusion, value });
    f.cidr(base, length, value, exclusion);
  }
  auto map = f.build();
  for (int i = 0; i < 5000; ++i) {
    Ip4 address = ip(10, 0, 0, 0) | (random() & 0x000fffff);
    const Prefix* best = nullptr;
    for (const auto& p : prefixes)
      if (address >= p.first && address <= p.last && (!best || p.length > best->length))
        best = &p;
    auto got = f.values(map, address);
    if (!best || best->exclusion)
      CHECK(got.empty());
    else
      CHECK(got == std::vector<ValueId> { best->value });
  }
}

TEST_CASE("ip4trie: of identical entries the lowest origin wins, whatever order they are added in")
{
  std::mt19937 random(4242);
  Fixture f(Overlap::LongestPrefix);
  std::vector<std::uint32_t> origins(4000);
  for (std::uint32_t i = 0; i < origins.size(); ++i)
    origins[i] = i + 1;
  std::shuffle(origins.begin(), origins.end(), random);
  // Origins 2k-1 and 2k share an entry: a /24 for even k, a /32 for odd k; its value is the origin.
  for (std::uint32_t origin : origins) {
    std::uint32_t k = (origin + 1) / 2;
    unsigned length = k % 2 ? 32 : 24;
    f.builder.add(ip(10, 0, 0, 0) + k * 256, lastOf(ip(10, 0, 0, 0) + k * 256, length),
        static_cast<std::uint8_t>(length), origin, false, origin);
  }
  auto map = f.build();
  std::sort(f.dropped.begin(), f.dropped.end());
  std::vector<std::uint32_t> evens;
  for (std::uint32_t origin = 2; origin <= origins.size(); origin += 2)
    evens.push_back(origin);
  CHECK(f.dropped == evens);
  for (std::uint32_t k = 1; k <= origins.size() / 2; ++k)
    CHECK(f.values(map, ip(10, 0, 0, 0) + k * 256) == std::vector<ValueId> { 2 * k - 1 });
}

TEST_CASE("ip4 map: the builder can be reused after eraseIf and build")
{
  Fixture f(Overlap::UnionPerLevel);
  f.cidr(ip(1, 2, 3, 4), 32, 1);
  f.cidr(ip(1, 2, 3, 0), 24, 2);
  f.cidr(ip(5, 6, 7, 8), 32, 3);
  f.builder.eraseIf([](Ip4 first, Ip4 last) { return first == ip(1, 2, 3, 0) && last == ip(1, 2, 3, 255); });
  CHECK(f.builder.size() == 2);
  auto map = f.build();
  CHECK(f.values(map, ip(1, 2, 3, 4)) == std::vector<ValueId> { 1 });
  CHECK(f.values(map, ip(1, 2, 3, 5)).empty());
  CHECK(f.values(map, ip(5, 6, 7, 8)) == std::vector<ValueId> { 3 });
  CHECK(f.builder.size() == 0);
}

TEST_CASE("ip4 map: the ranges alone answer as if no single address were listed or excluded")
{
  Fixture f(Overlap::LongestPrefix);
  f.cidr(ip(10, 0, 0, 0), 24, 1);
  f.cidr(ip(10, 0, 0, 5), 32, 2);
  f.cidr(ip(10, 0, 0, 6), 32, 0, true);
  f.cidr(ip(10, 0, 9, 9), 32, 3);
  Ip4Map map = f.build();
  CHECK(map.find(ip(10, 0, 0, 6)) == kNoPayload);
  CHECK(map.findRange(ip(10, 0, 0, 6)) == map.find(ip(10, 0, 0, 1)));
  CHECK(map.findRange(ip(10, 0, 0, 5)) == map.find(ip(10, 0, 0, 1)));
  CHECK(map.findRange(ip(10, 0, 9, 9)) == kNoPayload);
  CHECK(map.anyRangeWithin(ip(10, 0, 0, 255), ip(10, 0, 1, 0)));
  CHECK_FALSE(map.anyRangeWithin(ip(10, 0, 9, 0), ip(10, 0, 9, 255)));
}

TEST_CASE("ip4 map: listed singles can be looked for with some addresses hidden")
{
  Fixture f(Overlap::LongestPrefix);
  f.cidr(ip(10, 0, 9, 9), 32, 3);
  f.cidr(ip(10, 0, 9, 12), 32, 3);
  Ip4Map map = f.build();
  std::vector<Ip4> none, one { ip(10, 0, 9, 9) }, both { ip(10, 0, 9, 9), ip(10, 0, 9, 12) };
  CHECK(map.anyListedSingleWithin(ip(10, 0, 9, 0), ip(10, 0, 9, 255), none));
  CHECK(map.anyListedSingleWithin(ip(10, 0, 9, 0), ip(10, 0, 9, 255), one));
  CHECK_FALSE(map.anyListedSingleWithin(ip(10, 0, 9, 0), ip(10, 0, 9, 255), both));
  CHECK_FALSE(map.anyListedSingleWithin(ip(10, 0, 9, 0), ip(10, 0, 9, 10), one));
  std::vector<Ip4> seen;
  map.forEach([&](Ip4 first, Ip4, std::uint32_t) { seen.push_back(first); }, one);
  CHECK(seen == std::vector<Ip4> { ip(10, 0, 9, 12) });
}

TEST_CASE("ip4 map: an ip4set knows where level-32 ranges, listed or excluded, lie")
{
  Fixture f(Overlap::UnionPerLevel);
  f.builder.add(ip(10, 0, 0, 4), ip(10, 0, 0, 8), 32, 1, false, ++f.line);
  f.builder.add(ip(10, 0, 0, 9), ip(10, 0, 0, 10), 32, 0, true, ++f.line);
  f.builder.add(ip(10, 0, 1, 0), ip(10, 0, 1, 255), 24, 1, false, ++f.line);
  f.cidr(ip(10, 0, 2, 1), 32, 2);
  Ip4Map map = f.build();
  CHECK_FALSE(map.level32RangeCovers(ip(10, 0, 0, 3)));
  CHECK(map.level32RangeCovers(ip(10, 0, 0, 4)));
  CHECK(map.level32RangeCovers(ip(10, 0, 0, 10)));
  CHECK_FALSE(map.level32RangeCovers(ip(10, 0, 0, 11)));
  CHECK_FALSE(map.level32RangeCovers(ip(10, 0, 1, 7)));
  CHECK_FALSE(map.level32RangeCovers(ip(10, 0, 2, 1)));
}

TEST_CASE("ip4 maps without entries allocate no bucket table and miss every address")
{
  for (Overlap overlap : { Overlap::LongestPrefix, Overlap::UnionPerLevel }) {
    Fixture f(overlap);
    auto map = f.build();
    CHECK(map.memoryBytes() == 0);
    CHECK(map.find(ip(10, 1, 2, 3)) == kNoPayload);
    CHECK(map.findRange(ip(0, 0, 0, 0)) == kNoPayload);
    CHECK_FALSE(map.anyWithin(0, ~Ip4 {}));
    CHECK(map.rangeCount() == 0);
  }
}

TEST_CASE("ip4 map: the walk of a window reports what the whole walk reports there, ranges whole")
{
  std::mt19937 random(4242);
  Fixture f(Overlap::LongestPrefix);
  for (int i = 0; i < 2000; ++i) { // ranges across /16 boundaries, nested prefixes, singles, holes
    unsigned length = 12 + random() % 21;
    Ip4 base = (ip(10, 0, 0, 0) | (random() & 0x00ffffff)) & ~lastOf(0, length);
    f.cidr(base, length, random() % 3, random() % 6 == 0);
  }
  f.cidr(ip(11, 0, 0, 0), 8, 1); // one range of 256 /16 pieces
  f.cidr(ip(255, 255, 255, 255), 32, 2);
  auto map = f.build();
  using Entry = std::tuple<Ip4, Ip4, std::uint32_t>;
  std::vector<Entry> all;
  map.forEach([&](Ip4 first, Ip4 last, std::uint32_t payload) { all.emplace_back(first, last, payload); });
  auto check = [&](Ip4 first, Ip4 last) {
    std::vector<Entry> window, expected;
    map.forEach(
        [&](Ip4 a, Ip4 b, std::uint32_t payload) { window.emplace_back(a, b, payload); }, {}, first, last);
    for (const Entry& entry : all)
      if (std::get<1>(entry) >= first && std::get<0>(entry) <= last)
        expected.push_back(entry);
    CHECK(window == expected);
  };
  for (int i = 0; i < 300; ++i) {
    Ip4 first = ip(10, 0, 0, 0) + (random() & 0x01ffffff);
    check(first, first + random() % (random() % 2 ? 300 : 300000));
  }
  check(ip(11, 7, 0, 0), ip(11, 7, 0, 0)); // inside the /8: reported whole
  check(ip(255, 255, 255, 255), ~Ip4 {});
  check(0, ~Ip4 {});
  std::size_t visits = 0;
  map.forEach([&](Ip4, Ip4, std::uint32_t) { ++visits; }, {}, ip(12, 0, 0, 1), ip(12, 0, 0, 1));
  CHECK(visits == 0);
}

TEST_CASE("ip4 map: prefetch hints read only the bucket table and change no lookup")
{
  Fixture f(Overlap::LongestPrefix);
  f.cidr(ip(0, 0, 0, 0), 32, 1);
  f.cidr(ip(10, 1, 0, 0), 16, 2);
  f.cidr(ip(10, 1, 2, 3), 32, 3);
  f.cidr(ip(255, 255, 255, 255), 32, 4);
  auto map = f.build();
  Fixture g(Overlap::LongestPrefix);
  g.cidr(ip(10, 1, 2, 3), 32, 1); // a table of one /16: the others are below or above it
  auto narrow = g.build();
  Ip4Map empty;
  // The first and last /16 and those without entries (run under ASan: no read past the table).
  for (Ip4 address : { ip(0, 0, 0, 0), ip(10, 1, 2, 3), ip(10, 1, 9, 9), ip(99, 0, 0, 1), ~Ip4 {} }) {
    for (const Ip4Map* tested : { &map, &narrow, &empty }) {
      auto before = tested->find(address);
      tested->prefetchBucket(address);
      tested->prefetchSlices(address);
      CHECK(tested->find(address) == before);
    }
    CHECK(empty.find(address) == kNoPayload);
  }
}

TEST_CASE("ip4 maps keep buckets only for the /16s from their first entry to their last")
{
  Fixture f(Overlap::LongestPrefix);
  f.cidr(ip(10, 1, 2, 3), 32, 1);
  f.cidr(ip(10, 1, 9, 0), 24, 2);
  auto map = f.build();
  CHECK(map.memoryBytes() < 1024); // not the 512 KiB of all 65536 /16s
  CHECK(f.values(map, ip(10, 1, 2, 3)) == std::vector<ValueId> { 1 });
  CHECK(f.values(map, ip(10, 1, 9, 200)) == std::vector<ValueId> { 2 });
  for (Ip4 outside : { Ip4 { 0 }, ip(10, 0, 255, 255), ip(10, 2, 0, 0), ~Ip4 {} }) {
    CHECK(map.find(outside) == kNoPayload);
    CHECK(map.findRange(outside) == kNoPayload);
  }
  CHECK(map.anyWithin(0, ~Ip4 {}));
  CHECK_FALSE(map.anyWithin(0, ip(10, 1, 2, 2)));
  CHECK_FALSE(map.anyWithin(ip(10, 1, 10, 0), ~Ip4 {}));
  CHECK(map.anyRangeWithin(0, ~Ip4 {}));
  CHECK(map.anyListedSingleWithin(0, ~Ip4 {}, {}));
}

TEST_CASE("ip4 maps with entries far apart answer in every /16 between and around them")
{
  Fixture f(Overlap::LongestPrefix);
  f.cidr(ip(9, 0, 0, 1), 32, 1); // a single before the first range
  f.cidr(ip(10, 0, 0, 0), 15, 2); // two /16s of range pieces
  f.cidr(ip(10, 0, 0, 9), 32, 0, true); // a hole the ranges alone decide
  f.cidr(ip(10, 1, 0, 7), 32, 3);
  f.cidr(ip(77, 0, 0, 0), 16, 4); // a range alone in its /16, far from the rest
  f.cidr(ip(200, 0, 0, 1), 32, 0, true); // an exclusion with nothing around it: dropped
  f.cidr(ip(255, 255, 255, 255), 32, 5);
  auto map = f.build();
  CHECK(f.values(map, ip(9, 0, 0, 1)) == std::vector<ValueId> { 1 });
  CHECK(f.values(map, ip(9, 0, 0, 2)).empty());
  CHECK(f.values(map, ip(10, 0, 0, 8)) == std::vector<ValueId> { 2 });
  CHECK(f.values(map, ip(10, 0, 0, 9)).empty());
  CHECK(f.values(map, ip(10, 1, 0, 7)) == std::vector<ValueId> { 3 });
  CHECK(f.values(map, ip(10, 1, 255, 255)) == std::vector<ValueId> { 2 });
  CHECK(f.values(map, ip(10, 2, 0, 0)).empty());
  CHECK(f.values(map, ip(76, 255, 255, 255)).empty());
  CHECK(f.values(map, ip(77, 0, 128, 1)) == std::vector<ValueId> { 4 });
  CHECK(f.values(map, ip(77, 1, 0, 0)).empty());
  CHECK(f.values(map, ip(200, 0, 0, 1)).empty());
  CHECK(f.values(map, ip(255, 255, 255, 255)) == std::vector<ValueId> { 5 });
  CHECK(f.values(map, ip(255, 255, 255, 254)).empty());
  CHECK_FALSE(map.anyWithin(ip(10, 2, 0, 0), ip(76, 255, 255, 255)));
  CHECK(map.anyWithin(ip(10, 2, 0, 0), ip(77, 0, 0, 0)));
  std::vector<std::pair<Ip4, Ip4>> seen;
  map.forEach([&](Ip4 first, Ip4 last, std::uint32_t) { seen.emplace_back(first, last); });
  CHECK(seen.size() == 6);
  CHECK(seen[1] == std::pair(ip(10, 0, 0, 0), ip(10, 1, 255, 255))); // the pieces joined again
}

TEST_CASE("ip4 map: windows and single lookups below, above and at the edges of the occupied /16s")
{
  Fixture f(Overlap::LongestPrefix);
  f.cidr(ip(10, 1, 0, 0), 32, 1); // the first address of the first /16 with a Bucket
  f.cidr(ip(10, 1, 255, 0), 24, 2);
  f.cidr(ip(10, 2, 0, 0), 15, 3); // two pieces up to the last address of the last /16
  f.cidr(ip(10, 3, 255, 255), 32, 4); // a single at that last address, inside the range
  auto map = f.build();
  using Entry = std::tuple<Ip4, Ip4, std::uint32_t>;
  std::vector<Entry> all;
  map.forEach([&](Ip4 first, Ip4 last, std::uint32_t payload) { all.emplace_back(first, last, payload); });
  REQUIRE(all.size() == 4);
  CHECK(std::get<0>(all.front()) == ip(10, 1, 0, 0));
  CHECK(all[2] == Entry { ip(10, 2, 0, 0), ip(10, 3, 255, 255), std::get<2>(all[2]) }); // joined
  const std::vector<Ip4> edges { 0, ip(10, 0, 255, 255), ip(10, 1, 0, 0), ip(10, 1, 0, 1),
    ip(10, 1, 254, 255), ip(10, 1, 255, 0), ip(10, 2, 0, 0), ip(10, 3, 255, 254), ip(10, 3, 255, 255),
    ip(10, 4, 0, 0), ~Ip4 {} };
  for (Ip4 first : edges)
    for (Ip4 last : edges) {
      if (first > last)
        continue;
      std::vector<Entry> window, expected;
      map.forEach(
          [&](Ip4 a, Ip4 b, std::uint32_t payload) { window.emplace_back(a, b, payload); }, {}, first, last);
      for (const Entry& entry : all)
        if (std::get<1>(entry) >= first && std::get<0>(entry) <= last)
          expected.push_back(entry);
      CHECK(window == expected);
      CHECK(map.anyWithin(first, last) == !expected.empty());
    }
  std::vector<Ip4> singles;
  map.forEachSingle([&](Ip4 single, std::uint32_t) { singles.push_back(single); });
  CHECK(singles == std::vector<Ip4> { ip(10, 1, 0, 0), ip(10, 3, 255, 255) });
  for (Ip4 address : edges) {
    std::uint32_t payload = kNoPayload;
    bool single = address == ip(10, 1, 0, 0) || address == ip(10, 3, 255, 255);
    CHECK(map.findSingle(address, payload) == single);
    CHECK((payload != kNoPayload) == single);
  }
  CHECK(f.values(map, ip(10, 3, 255, 255)) == std::vector<ValueId> { 4 });
  CHECK(f.values(map, ip(10, 3, 255, 254)) == std::vector<ValueId> { 3 });
  CHECK(map.findRange(ip(10, 3, 255, 255)) == map.findRange(ip(10, 2, 0, 0)));
  CHECK_FALSE(map.anyRangeWithin(0, ip(10, 1, 254, 255)));
  CHECK(map.anyRangeWithin(ip(10, 3, 255, 255), ~Ip4 {}));
  CHECK_FALSE(map.anyListedSingleWithin(0, ip(10, 0, 255, 255), {}));
  CHECK(map.anyListedSingleWithin(0, ip(10, 1, 0, 0), {}));
  CHECK_FALSE(map.anyListedSingleWithin(ip(10, 4, 0, 0), ~Ip4 {}, {}));
}

TEST_CASE("ip4 maps holding only the first or only the last address answer around it")
{
  for (Ip4 only : { Ip4 { 0 }, ~Ip4 {} }) {
    Fixture f(Overlap::LongestPrefix);
    f.cidr(only, 32, 1);
    auto map = f.build();
    CHECK(map.find(only) != kNoPayload);
    CHECK(map.find(only ^ 1) == kNoPayload);
    CHECK(map.find(only ^ 0x10000) == kNoPayload); // the /16 next to it has no Bucket
    std::uint32_t payload = kNoPayload;
    CHECK(map.findSingle(only, payload));
    CHECK_FALSE(map.findSingle(only ^ 0x80000000, payload));
    std::vector<Ip4> seen;
    map.forEach([&](Ip4 first, Ip4, std::uint32_t) { seen.push_back(first); }, {}, only, only);
    map.forEach([&](Ip4 first, Ip4, std::uint32_t) { seen.push_back(first); }, {}, 0, ~Ip4 {});
    map.forEach([&](Ip4 first, Ip4, std::uint32_t) { seen.push_back(first); }, {}, only ^ 1, only ^ 1);
    CHECK(seen == std::vector<Ip4> { only, only });
  }
}

TEST_CASE("ip4 maps without a bucket table walk nothing and find no single address")
{
  Fixture empty(Overlap::LongestPrefix);
  Fixture exclusions(Overlap::LongestPrefix); // a hole with nothing around it: no entry, no table
  exclusions.cidr(ip(10, 0, 0, 0), 8, 0, true);
  for (Fixture* f : { &empty, &exclusions }) {
    auto map = f->build();
    CHECK(map.memoryBytes() == 0);
    std::size_t visits = 0;
    map.forEach([&](Ip4, Ip4, std::uint32_t) { ++visits; });
    map.forEach([&](Ip4, Ip4, std::uint32_t) { ++visits; }, {}, ip(10, 1, 2, 3), ip(10, 1, 2, 3));
    map.forEachSingle([&](Ip4, std::uint32_t) { ++visits; });
    CHECK(visits == 0);
    std::uint32_t payload = kNoPayload;
    CHECK_FALSE(map.findSingle(ip(10, 1, 2, 3), payload));
    CHECK(map.find(ip(10, 1, 2, 3)) == kNoPayload);
    CHECK_FALSE(map.anyRangeWithin(0, ~Ip4 {}));
    CHECK_FALSE(map.anyListedSingleWithin(0, ~Ip4 {}, {}));
  }
}

TEST_CASE("a moved-from ip4 map misses every address")
{
  Fixture f(Overlap::LongestPrefix);
  f.cidr(ip(10, 1, 2, 3), 32, 1);
  auto map = f.build();
  Ip4Map moved = std::move(map);
  CHECK(moved.find(ip(10, 1, 2, 3)) != kNoPayload);
  CHECK(map.find(ip(10, 1, 2, 3)) == kNoPayload); // NOLINT(bugprone-use-after-move): what is tested
  CHECK_FALSE(map.anyWithin(0, ~Ip4 {}));
  CHECK(map.memoryBytes() == 0);
}

TEST_CASE("ip4set: single addresses keep their answers and holes when their payloads need wider ids")
{
  // 70,000 distinct values: the payload ids pass both the one- and the two-byte limit during the build.
  Fixture f(Overlap::UnionPerLevel);
  f.cidr(ip(10, 0, 0, 0), 8, 0);
  for (std::uint32_t i = 1; i <= 70000; ++i)
    f.cidr(ip(10, 0, 0, 0) + i * 7, 32, i, i % 1000 == 0);
  Ip4Map map = f.build();
  bool intact = true;
  for (std::uint32_t i = 1; i <= 70000; ++i) {
    auto found = f.values(map, ip(10, 0, 0, 0) + i * 7);
    auto expected = i % 1000 == 0 ? std::vector<ValueId> {} : std::vector<ValueId> { i }; // level 32 wins
    intact = intact && found == expected;
  }
  CHECK(intact);
  CHECK(f.values(map, ip(10, 0, 0, 1)) == std::vector<ValueId> { 0 });
}
