#include "shun/store/ip_map.hpp"

#include <catch2/catch.hpp>

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
