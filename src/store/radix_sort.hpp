#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace shun::store::detail {

/// Sorts items stably by bits [low, high) of key(item) (high rounded up to whole passes), kBits a pass,
/// least significant first, each pass a count and a scatter between items and scratch (at least as large):
/// no comparison branch to mispredict. One read counts the digits of every pass; a pass where all items
/// share the digit is skipped. Returns the span (of items or of scratch) that holds them sorted.
/// low <= high; fewer than 2^32 items.
template <unsigned kBits, typename T, typename Key>
std::span<T> radixSort(std::span<T> items, std::span<T> scratch, unsigned low, unsigned high, Key key)
{
  constexpr std::size_t kDigits = std::size_t { 1 } << kBits;
  constexpr std::uint64_t kMask = kDigits - 1;
  const unsigned passes = (high - low + kBits - 1) / kBits;
  std::vector<std::array<std::uint32_t, kDigits>> starts(passes);
  for (const T& item : items) {
    std::uint64_t bits = key(item) >> low;
    for (unsigned pass = 0; pass < passes; ++pass, bits >>= kBits)
      ++starts[pass][bits & kMask];
  }
  std::span<T> from = items, to = scratch.first(items.size());
  for (unsigned pass = 0; pass < passes; ++pass) {
    std::array<std::uint32_t, kDigits>& next = starts[pass];
    if (std::find(next.begin(), next.end(), items.size()) != next.end())
      continue; // every item has this digit: the order stays
    std::uint32_t sum = 0;
    for (std::uint32_t& start : next)
      sum += std::exchange(start, sum);
    unsigned shift = low + pass * kBits;
    for (const T& item : from)
      to[next[key(item) >> shift & kMask]++] = item;
    std::swap(from, to);
  }
  return from;
}

/// radixSort, leaving the sorted items in items (copied back from scratch where the passes end there).
template <unsigned kBits, typename T, typename Key>
void radixSortInPlace(std::span<T> items, std::vector<T>& scratch, unsigned low, unsigned high, Key key)
{
  if (scratch.size() < items.size())
    scratch.resize(items.size());
  std::span<T> sorted = radixSort<kBits>(items, std::span<T>(scratch), low, high, key);
  if (sorted.data() != items.data())
    std::copy(sorted.begin(), sorted.end(), items.begin());
}

/// Orders items in place by digitOf(item) (below digits, at most 256), most significant digit first
/// (American flag sort): each item is carried to its digit's next free slot, so the items being moved stay
/// within `digits` streams, cache-friendly, with no second buffer. Then calls then(part) for each digit's
/// items, in order, where there are any (to sort each by its next digit). Fewer than 2^32 items.
template <typename T, typename Digit, typename Then>
void flagSort(std::span<T> items, std::size_t digits, Digit digitOf, Then then)
{
  std::array<std::uint32_t, 257> start {};
  for (const T& item : items)
    ++start[digitOf(item) + 1];
  for (std::size_t digit = 0; digit < digits; ++digit)
    start[digit + 1] += start[digit];
  std::array<std::uint32_t, 256> next;
  std::copy(start.begin(), start.begin() + 256, next.begin());
  for (std::size_t digit = 0; digit < digits; ++digit)
    while (next[digit] < start[digit + 1]) {
      T item = items[next[digit]];
      for (std::size_t home = digitOf(item); home != digit; home = digitOf(item))
        std::swap(item, items[next[home]++]);
      items[next[digit]++] = item;
    }
  for (std::size_t digit = 0; digit < digits; ++digit)
    if (start[digit + 1] > start[digit])
      then(items.subspan(start[digit], start[digit + 1] - start[digit]));
}

/// Sorts items by before() in place, no second buffer: by the low `varying` bits of top(item), 8 a pass,
/// most significant first (flagSort), down to parts of at most 64 items that std::sort orders by before()
/// (which must order by top() first; ties of top() are ordered there).
template <typename T, typename Top, typename Before>
void sortByTopBits(std::span<T> items, unsigned varying, Top top, Before before)
{
  if (items.size() <= 64 || varying == 0) {
    std::sort(items.begin(), items.end(), before);
    return;
  }
  unsigned bits = std::min(varying, 8u), shift = varying - bits;
  std::uint64_t mask = (std::uint64_t { 1 } << bits) - 1;
  flagSort(
      items, mask + 1, [&](const T& item) { return static_cast<std::size_t>(top(item) >> shift & mask); },
      [&](std::span<T> part) { sortByTopBits(part, shift, top, before); });
}

/// sortByTopBits over the bits of top() that not all items share: twice as fast as one std::sort over a
/// few hundred thousand items.
template <typename T, typename Top, typename Before>
void sortByTop(std::span<T> items, Top top, Before before)
{
  std::uint64_t low = ~std::uint64_t { 0 }, high = 0;
  for (const T& item : items) {
    low = std::min<std::uint64_t>(low, top(item));
    high = std::max<std::uint64_t>(high, top(item));
  }
  sortByTopBits(
      items, items.empty() ? 0 : static_cast<unsigned>(64 - std::countl_zero(low ^ high)), top, before);
}

} // namespace shun::store::detail
