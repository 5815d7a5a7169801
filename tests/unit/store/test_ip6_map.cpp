#include "shun/store/ip_map.hpp"

#include <catch2/catch.hpp>
#include <random>

using namespace shun::store;

namespace {

Ip6 ip6(std::uint64_t high, std::uint64_t low)
{
  return (static_cast<Ip6>(high) << 64) | low;
}
Ip6 lastOf(Ip6 base, unsigned length)
{
  return length == 128 ? base : base | (~Ip6 {} >> length); // a shift by 128 is undefined
}

} // namespace

TEST_CASE("ip6trie: a /64 listing with a /128 exclusion")
{
  ValueSets sets;
  std::vector<std::uint32_t> dropped;
  Ip6MapBuilder builder;
  Ip6 net = ip6(0x20010db800010002, 0);
  builder.add(net, lastOf(net, 64), 64, 1, false, 1);
  builder.add(net | 0xbead, net | 0xbead, 128, 0, true, 2);
  auto map = builder.build(sets, dropped);
  CHECK(map.find(net) != kNoPayload);
  CHECK(map.find(net | 0xbead) == kNoPayload);
  CHECK(map.find(net | 0xbeac) != kNoPayload);
  CHECK(map.find(lastOf(net, 64)) != kNoPayload);
  CHECK(map.find(lastOf(net, 64) + 1) == kNoPayload);
  CHECK(map.find(net - 1) == kNoPayload);
}

TEST_CASE("ip6trie: prefixes on every nibble boundary decide by length")
{
  for (unsigned length = 4; length <= 128; length += 4) {
    ValueSets sets;
    std::vector<std::uint32_t> dropped;
    Ip6MapBuilder builder;
    Ip6 wide = ip6(0x2001000000000000, 0);
    Ip6 narrow = ip6(0x2001ffffffffffff, 0xffffffffffffffff) & ~lastOf(0, length);
    narrow = (narrow & ~(~Ip6 {} >> 16)) == wide ? narrow : wide;
    builder.add(wide, lastOf(wide, 16), 16, 1, false, 1);
    if (length > 16)
      builder.add(narrow, lastOf(narrow, length), static_cast<std::uint8_t>(length), 2, false, 2);
    auto map = builder.build(sets, dropped);
    INFO("length " << length);
    if (length > 16) {
      REQUIRE(map.find(narrow) != kNoPayload);
      REQUIRE(map.find(lastOf(narrow, length)) != kNoPayload);
      REQUIRE(map.find(narrow - 1) != kNoPayload);
      CHECK(sets.set(map.find(narrow))[0] == 2);
      CHECK(sets.set(map.find(lastOf(narrow, length)))[0] == 2);
      CHECK(sets.set(map.find(narrow - 1))[0] == 1);
    }
    CHECK(map.find(lastOf(wide, 16) + 1) == kNoPayload);
  }
}

TEST_CASE("ip6trie: the all-ones address and ::/0 are handled")
{
  ValueSets sets;
  std::vector<std::uint32_t> dropped;
  Ip6MapBuilder builder;
  builder.add(0, ~Ip6 {}, 0, 1, false, 1);
  builder.add(~Ip6 {}, ~Ip6 {}, 128, 0, true, 2);
  auto map = builder.build(sets, dropped);
  CHECK(map.find(0) != kNoPayload);
  CHECK(map.find(~Ip6 {} - 1) != kNoPayload);
  CHECK(map.find(~Ip6 {}) == kNoPayload);
  CHECK(map.anyWithin(ip6(0x2001, 0), lastOf(ip6(0x2001, 0), 32)));
}

TEST_CASE("ip6trie: an identical later prefix is dropped and reported, whatever it is")
{
  ValueSets sets;
  std::vector<std::uint32_t> dropped;
  Ip6MapBuilder builder;
  Ip6 net = ip6(0x20010db8, 0);
  builder.add(net, lastOf(net, 48), 48, 1, false, 10);
  builder.add(net, lastOf(net, 48), 48, 0, true, 11);
  builder.add(net, lastOf(net, 48), 48, 2, false, 12);
  auto map = builder.build(sets, dropped);
  CHECK(dropped == std::vector<std::uint32_t> { 11, 12 });
  REQUIRE(map.find(net) != kNoPayload);
  CHECK(sets.set(map.find(net))[0] == 1);
  CHECK(map.rangeCount() == 1);
}

TEST_CASE("ip6trie: an address range is listed only where an exclusion leaves some of it")
{
  ValueSets sets;
  std::vector<std::uint32_t> dropped;
  Ip6MapBuilder builder;
  Ip6 net = ip6(0x20010db800000000, 0);
  builder.add(net, lastOf(net, 48), 48, 1, false, 1);
  builder.add(net, lastOf(net, 64), 64, 0, true, 2); // the first /64 of the /48 is excluded
  builder.add(net | 0x5, net | 0x5, 128, 1, false, 3); // but one address in it is listed again
  auto map = builder.build(sets, dropped);
  CHECK(map.anyWithin(net, lastOf(net, 48)));
  CHECK(map.anyWithin(net, lastOf(net, 60))); // the /128 inside
  CHECK_FALSE(map.anyWithin(net | 0x10, lastOf(net | 0x10, 124)));
  CHECK(map.anyWithin(lastOf(net, 64) + 1, lastOf(net, 48)));
  CHECK_FALSE(map.anyWithin(lastOf(net, 48) + 1, lastOf(lastOf(net, 48) + 1, 64)));
  std::vector<std::pair<Ip6, Ip6>> pieces;
  map.forEach([&](Ip6 first, Ip6 last, std::uint32_t) { pieces.emplace_back(first, last); });
  CHECK(pieces
      == std::vector<std::pair<Ip6, Ip6>> {
          { net | 0x5, net | 0x5 }, { lastOf(net, 64) + 1, lastOf(net, 48) } });
}

TEST_CASE("ip6trie: many random prefixes answer as the longest listed prefix, erased ones forgotten")
{
  std::mt19937_64 random(5);
  struct Entry {
    Ip6 first;
    unsigned length;
    bool exclusion;
    ValueId value;
  };
  std::vector<Entry> entries;
  Ip6MapBuilder builder;
  for (std::uint32_t i = 0; i < 30000; ++i) {
    unsigned lengths[] = { 32, 48, 56, 64, 64, 64, 96, 128 };
    unsigned length = lengths[random() % 8];
    Ip6 address = ip6(0x2001000000000000 | (random() & 0xffffffffff), random());
    if (i % 7 == 0 && !entries.empty())
      address = entries[random() % entries.size()].first | (random() & 0xffff); // nested in another
    Ip6 first = address & ~lastOf(0, length);
    entries.push_back({ first, length, random() % 10 == 0, static_cast<ValueId>(random() % 3) });
    builder.add(first, lastOf(first, length), static_cast<std::uint8_t>(length), entries.back().value,
        entries.back().exclusion, i + 1);
  }
  builder.eraseIf([&](Ip6 first, Ip6 last) {
    return first == entries[0].first && last == lastOf(first, entries[0].length);
  });
  ValueSets sets;
  std::vector<std::uint32_t> dropped;
  auto map = builder.build(sets, dropped);
  auto expected = [&](Ip6 ip) -> std::uint32_t {
    const Entry* best = nullptr;
    for (std::size_t i = 1; i < entries.size(); ++i) {
      const Entry& e = entries[i];
      bool covers = ip >= e.first && ip <= lastOf(e.first, e.length);
      if (covers && (!best || e.length > best->length))
        best = &e;
    }
    return best && !best->exclusion ? best->value : kNoPayload;
  };
  for (int i = 0; i < 3000; ++i) {
    const Entry& e = entries[1 + random() % (entries.size() - 1)];
    Ip6 ip = e.first | (static_cast<Ip6>(random()) & lastOf(0, e.length));
    std::uint32_t want = expected(ip), got = map.find(ip);
    REQUIRE((got == kNoPayload) == (want == kNoPayload));
    if (got != kNoPayload)
      CHECK(sets.set(got)[0] == want);
  }
}

TEST_CASE("ip6trie: each prefix keeps its line's value when runs of a default are broken by other values")
{
  // The builder keeps values by origin (runs of a shared value, the others listed): interleave both kinds,
  // short and long prefixes, and origins that go back (a second file numbered below the first's end).
  ValueSets sets;
  std::vector<std::uint32_t> dropped;
  Ip6MapBuilder builder;
  std::vector<std::pair<Ip6, ValueId>> added;
  for (std::uint32_t i = 0; i < 200; ++i) {
    ValueId value = i % 40 < 20 ? 7 : i % 3 == 0 ? 8 : 9; // 20 in a row share 7, then a mix
    unsigned length = i % 2 ? 64 : 128;
    Ip6 first = ip6(0x20010db800000000 | i, length == 128 ? i * 3 + 1 : 0);
    std::uint32_t origin = i < 150 ? 1000 + i : 500 + i; // the last 50 go back
    builder.add(first, lastOf(first, length), static_cast<std::uint8_t>(length), value, false, origin);
    added.emplace_back(first, value);
  }
  auto map = builder.build(sets, dropped);
  CHECK(dropped.empty());
  for (auto [first, value] : added) {
    REQUIRE(map.find(first) != kNoPayload);
    CHECK(sets.set(map.find(first))[0] == value);
  }
}

TEST_CASE("ip6tset: replaceValue gives the prefixes streamed with a stand-in value the real one")
{
  ValueSets sets;
  std::vector<std::uint32_t> dropped;
  Ip6MapBuilder builder;
  constexpr ValueId kStandIn = 0xfffffff0;
  for (std::uint32_t i = 0; i < 40; ++i) {
    Ip6 first = ip6(0x20010db800000000 | i, 0);
    builder.add(first, lastOf(first, 64), 64, i == 30 ? 5 : kStandIn, i == 35, i + 1);
  }
  builder.replaceValue(kStandIn, 3);
  auto map = builder.build(sets, dropped);
  CHECK(sets.set(map.find(ip6(0x20010db800000000, 1)))[0] == 3);
  CHECK(sets.set(map.find(ip6(0x20010db800000000 | 29, 1)))[0] == 3);
  CHECK(sets.set(map.find(ip6(0x20010db800000000 | 30, 1)))[0] == 5);
  CHECK(map.find(ip6(0x20010db800000000 | 35, 1)) == kNoPayload);
  CHECK(sets.set(map.find(ip6(0x20010db800000000 | 39, 1)))[0] == 3);
}

TEST_CASE("ip6trie: in a level large enough to be bucket-sorted, the first line of a duplicate prefix wins")
{
  std::mt19937_64 random(7);
  Ip6MapBuilder builder;
  std::vector<Ip6> nets;
  for (std::uint32_t i = 0; i < 5000; ++i) {
    nets.push_back(ip6(0x2000000000000000 | (random() >> 3), 0));
    builder.add(nets.back(), lastOf(nets.back(), 64), 64, 1, false, 100000 + i);
  }
  // Added after the others but from earlier lines (as a tset's deferred entries are): these win.
  for (std::uint32_t i = 0; i < 100; ++i)
    builder.add(nets[i * 50], lastOf(nets[i * 50], 64), 64, 2, i % 2 == 0, 1000 + i);
  ValueSets sets;
  std::vector<std::uint32_t> dropped;
  auto map = builder.build(sets, dropped);
  CHECK(map.rangeCount() == 5000);
  CHECK(dropped.size() == 100);
  for (std::uint32_t i = 0; i < 5000; ++i) {
    std::uint32_t payload = map.find(nets[i] | 0x42);
    INFO("prefix " << i);
    if (i % 50 == 0 && (i / 50) % 2 == 0) {
      CHECK(payload == kNoPayload);
    } else {
      REQUIRE(payload != kNoPayload);
      CHECK(sets.set(payload)[0] == (i % 50 == 0 ? 2 : 1));
    }
  }
  std::vector<Ip6> sorted = nets;
  std::sort(sorted.begin(), sorted.end());
  std::vector<Ip6> walked;
  map.forEach([&](Ip6 first, Ip6, std::uint32_t) { walked.push_back(first); });
  CHECK(walked.size() == 4950);
  CHECK(std::is_sorted(walked.begin(), walked.end()));
}
