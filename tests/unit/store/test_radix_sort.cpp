#include "store/radix_sort.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <random>
#include <vector>

using shun::store::detail::flagSort;
using shun::store::detail::radixSort;
using shun::store::detail::radixSortInPlace;

namespace {

struct Item {
  std::uint64_t key;
  std::uint32_t arrival;
};

std::vector<Item> randomItems(std::size_t count, std::uint64_t keyMask, std::mt19937_64& random)
{
  std::vector<Item> items;
  for (std::uint32_t i = 0; i < count; ++i)
    items.push_back({ random() & keyMask, i });
  return items;
}

// What a stable sort by the key bits [low, high) gives.
std::vector<Item> stableByBits(std::vector<Item> items, unsigned low, unsigned high)
{
  std::uint64_t mask = (high - low == 64 ? ~std::uint64_t {} : (std::uint64_t { 1 } << (high - low)) - 1)
      << low;
  std::stable_sort(items.begin(), items.end(),
      [&](const Item& a, const Item& b) { return (a.key & mask) < (b.key & mask); });
  return items;
}

bool same(const std::vector<Item>& a, const std::vector<Item>& b)
{
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
      [](const Item& x, const Item& y) { return x.key == y.key && x.arrival == y.arrival; });
}

auto keyOf = [](const Item& item) { return item.key; };

} // namespace

TEST_CASE("radix sort: stable by the bits asked for, in 10-bit and 8-bit passes, wherever it ends")
{
  std::mt19937_64 random(1);
  for (auto [low, high, keyMask] : { std::tuple { 0u, 60u, (std::uint64_t { 1 } << 60) - 1 },
           std::tuple { 32u, 56u, ~std::uint64_t {} }, std::tuple { 0u, 30u, std::uint64_t { 0xfff } } }) {
    auto items = randomItems(5000, keyMask, random);
    auto expected = stableByBits(items, low, high);
    std::vector<Item> scratch(items.size());
    auto sorted = high - low == 60 ? radixSort<10>(std::span(items), std::span(scratch), low, high, keyOf)
                                   : radixSort<8>(std::span(items), std::span(scratch), low, high, keyOf);
    CHECK(same({ sorted.begin(), sorted.end() }, expected));
  }
}

TEST_CASE("radix sort: a digit every item shares is skipped, and the in-place form copies back")
{
  std::mt19937_64 random(2);
  auto items = randomItems(3000, 0xff00ff, random); // bits 8-15 are all 0: that pass is skipped
  auto expected = stableByBits(items, 0, 24);
  std::vector<Item> scratch;
  radixSortInPlace<8>(std::span(items), scratch, 0, 24, keyOf);
  CHECK(same(items, expected));
  auto none = randomItems(0, 0xff, random);
  radixSortInPlace<8>(std::span(none), scratch, 0, 8, keyOf);
  CHECK(none.empty());
}

TEST_CASE("flag sort: in place by the top digit, each part handed on in order")
{
  std::mt19937_64 random(3);
  auto items = randomItems(20000, 0xffff, random);
  std::vector<std::uint64_t> partFirsts;
  flagSort(
      std::span(items), 256, [](const Item& item) { return static_cast<std::size_t>(item.key >> 8); },
      [&](std::span<Item> part) {
        partFirsts.push_back(part.front().key >> 8);
        for (const Item& item : part)
          CHECK(item.key >> 8 == part.front().key >> 8);
        std::sort(part.begin(), part.end(), [](const Item& a, const Item& b) { return a.key < b.key; });
      });
  CHECK(std::is_sorted(partFirsts.begin(), partFirsts.end()));
  CHECK(
      std::is_sorted(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.key < b.key; }));
  CHECK(items.size() == 20000);
}
