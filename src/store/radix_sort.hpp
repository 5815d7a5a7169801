#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace shun::store::detail {

/// Sorts items stably by bits [low, high) of key(item), kBits a pass, least significant first, each pass
/// a count and a scatter between items and scratch (at least as large): no comparison branch to
/// mispredict. One read counts the digits of every pass; a pass where all items share the digit is
/// skipped. Returns the span (of items or of scratch) that holds them sorted. Fewer than 2^32 items.
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

} // namespace shun::store::detail
