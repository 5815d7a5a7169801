#include "store/ip4_singles.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <random>
#include <stdexcept>

using shun::store::Ip4;
using shun::store::ValueId;
using shun::store::detail::Ip4Singles;

namespace {

struct Added {
  Ip4 ip;
  std::uint32_t origin;
  ValueId value;
  bool exclusion;
};

// Every entry, in (address, origin) order, as the sorted singles give it back.
std::vector<Added> sortedBack(Ip4Singles& singles)
{
  singles.sort();
  std::vector<Added> out;
  for (std::size_t i = 0; i < singles.size(); ++i) {
    auto item = singles[i];
    CHECK(singles.ipAt(i) == item.ip);
    out.push_back({ item.ip, item.origin, item.value, item.exclusion });
  }
  return out;
}

bool sameEntries(std::vector<Added> expected, const std::vector<Added>& got)
{
  std::sort(expected.begin(), expected.end(),
      [](const Added& a, const Added& b) { return a.ip != b.ip ? a.ip < b.ip : a.origin < b.origin; });
  return std::equal(
      expected.begin(), expected.end(), got.begin(), got.end(), [](const Added& a, const Added& b) {
        return a.ip == b.ip && a.origin == b.origin && a.value == b.value && a.exclusion == b.exclusion;
      });
}

} // namespace

TEST_CASE("ip4 singles: entries come back by address and origin with the value each was added with")
{
  std::mt19937 random(99);
  std::vector<Added> added;
  Ip4Singles singles;
  ValueId fileDefault = 1;
  for (std::uint32_t origin = 1; origin <= 200000; ++origin) {
    if (origin % 50000 == 0)
      fileDefault = origin; // a new default line: a long run of another value
    ValueId value = random() % 20 == 0 ? random() % 5 + 100 : fileDefault;
    bool exclusion = random() % 50 == 0;
    Ip4 ip = random() % 3 == 0 ? static_cast<Ip4>(random()) : static_cast<Ip4>(random() % 5000) << 20;
    added.push_back({ ip, origin, exclusion ? 0 : value, exclusion });
    singles.add(ip, exclusion ? 0 : value, exclusion, origin);
  }
  CHECK(sameEntries(added, sortedBack(singles)));
}

TEST_CASE("ip4 singles: a /8 holding most entries (a private list) sorts as the spread ones do")
{
  std::mt19937 random(5);
  std::vector<Added> added;
  Ip4Singles singles;
  for (std::uint32_t origin = 1; origin <= 120000; ++origin) {
    bool inTen = random() % 10 != 0; // about 108k in 10/8: past the scratch array, sorted in place
    Ip4 ip = inTen ? (Ip4 { 10 } << 24 | (random() & 0xffffff)) : static_cast<Ip4>(random());
    added.push_back({ ip, origin, 1, false });
    singles.add(ip, 1, false, origin);
  }
  CHECK(sameEntries(added, sortedBack(singles)));
}

TEST_CASE("ip4 singles: origins added out of order keep their values")
{
  std::mt19937 random(7);
  std::vector<std::uint32_t> origins(5000);
  for (std::uint32_t i = 0; i < origins.size(); ++i)
    origins[i] = i * 2 + 1;
  std::shuffle(origins.begin(), origins.end(), random);
  std::vector<Added> added;
  Ip4Singles singles;
  for (std::size_t i = 0; i < origins.size(); ++i) {
    ValueId value = i < 2500 ? 1 : 2; // long runs, yet origins do not ascend
    Ip4 ip = static_cast<Ip4>(random() % 300);
    added.push_back({ ip, origins[i], value, false });
    singles.add(ip, value, false, origins[i]);
  }
  CHECK(sameEntries(added, sortedBack(singles)));
}

TEST_CASE("ip4 singles: one address listed many times in random line order comes back by origin")
{
  std::mt19937 random(11);
  std::vector<std::uint32_t> origins(3000);
  for (std::uint32_t i = 0; i < origins.size(); ++i)
    origins[i] = i + 1;
  std::shuffle(origins.begin(), origins.end(), random);
  std::vector<Added> added;
  Ip4Singles singles;
  for (std::size_t i = 0; i < origins.size(); ++i) {
    // a long run of one address, among spread neighbours in its /8 and /24 (ties broken after the radix)
    Ip4 ip = i % 3 == 0 ? Ip4 { 0x0A000001 } : Ip4 { 0x0A000000 } | (random() & 0xffffff);
    added.push_back({ ip, origins[i], 1, false });
    singles.add(ip, 1, false, origins[i]);
  }
  CHECK(sameEntries(added, sortedBack(singles)));
}

TEST_CASE("ip4 singles: eraseIf, extractIf and distinctAddresses")
{
  Ip4Singles singles;
  for (std::uint32_t origin = 1; origin <= 10; ++origin)
    singles.add(origin % 4, origin, false, origin);
  singles.eraseIf([](Ip4 ip) { return ip == 0; }); // origins 4 and 8
  singles.sort();
  CHECK(singles.size() == 8);
  CHECK(singles.distinctAddresses() == 3);
  std::vector<std::uint32_t> taken;
  singles.extractIf([](Ip4 ip) { return ip == 2; },
      [&](const Ip4Singles::Item& item) { taken.push_back(item.origin * 100 + item.value); });
  CHECK(taken == std::vector<std::uint32_t> { 202, 606, 1010 });
  std::vector<Ip4> left;
  for (std::size_t i = 0; i < singles.size(); ++i)
    left.push_back(singles.ipAt(i));
  CHECK(left == std::vector<Ip4> { 1, 1, 1, 3, 3 });
}

TEST_CASE("ip4 singles: an origin beyond kMaxOrigin is refused")
{
  Ip4Singles singles;
  CHECK_THROWS_AS(singles.add(1, 1, false, Ip4Singles::kMaxOrigin + 1), std::length_error);
  CHECK_NOTHROW(singles.add(1, 1, false, Ip4Singles::kMaxOrigin));
}
