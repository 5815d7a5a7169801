#include "store/range_sweep.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <random>
#include <vector>

using shun::store::Ip4;
using shun::store::detail::SweepEntry;

namespace {

// Random ranges, many sharing a start or a low byte (the radix passes' ties), numbered origin 1, 2, ...
std::vector<SweepEntry<Ip4>> randomRanges(std::size_t count, std::mt19937& random)
{
  std::vector<SweepEntry<Ip4>> entries;
  for (std::uint32_t origin = 1; origin <= count; ++origin) {
    Ip4 first = random() % 4 == 0 ? static_cast<Ip4>(random() % 50) << 8 : static_cast<Ip4>(random());
    entries.push_back({ first, first | 0xff, 1, false, origin % 7, origin });
  }
  return entries;
}

// The order sortByStart promises: by start, then line.
std::vector<SweepEntry<Ip4>> expectedOrder(std::vector<SweepEntry<Ip4>> entries)
{
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : a.origin < b.origin;
  });
  return entries;
}

bool sameOrder(const std::vector<SweepEntry<Ip4>>& a, const std::vector<SweepEntry<Ip4>>& b)
{
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
    return x.first == y.first && x.origin == y.origin && x.value == y.value;
  });
}

} // namespace

TEST_CASE("range sweep: ranges in line order sort by start, ties by line (the radix passes)")
{
  std::mt19937 random(3);
  auto entries = randomRanges(20000, random);
  auto expected = expectedOrder(entries);
  shun::store::detail::sortByStart<Ip4>(entries);
  CHECK(sameOrder(entries, expected));
}

TEST_CASE("range sweep: ranges out of line order sort by start, ties by line")
{
  std::mt19937 random(4);
  auto entries = randomRanges(20000, random);
  std::shuffle(entries.begin(), entries.end(), random);
  auto expected = expectedOrder(entries);
  shun::store::detail::sortByStart<Ip4>(entries);
  CHECK(sameOrder(entries, expected));
}

TEST_CASE("range sweep: ranges that share their top bytes skip those passes and still sort")
{
  std::vector<SweepEntry<Ip4>> entries;
  for (std::uint32_t origin = 1; origin <= 300; ++origin)
    entries.push_back({ 0x0A000000u | (origin * 37 % 256), 0x0A0000ffu, 1, false, 1, origin });
  auto expected = expectedOrder(entries);
  shun::store::detail::sortByStart<Ip4>(entries);
  CHECK(sameOrder(entries, expected));
}
