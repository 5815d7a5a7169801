#include "ip4_singles.hpp"

#include "radix_sort.hpp"

#include <algorithm>
#include <array>
#include <vector>

namespace shun::store::detail {
namespace {

constexpr std::size_t kReleaseEvery = std::size_t { 1 } << 16; // keys read between two hand-backs of pages

/// Where each bucket of keys (by their byte at shift) starts once they are ordered; [256] is the end.
using BucketStarts = std::array<std::size_t, 257>;

template <typename Keys> BucketStarts bucketStarts(const Keys& keys, unsigned shift)
{
  BucketStarts start {};
  for (std::uint64_t key : keys)
    ++start[((key >> shift) & 0xff) + 1];
  for (std::size_t b = 0; b < 256; ++b)
    start[b + 1] += start[b];
  return start;
}

// Calls then(bucket) for each bucket of ordered keys that holds some.
template <typename Then>
void forEachBucket(std::span<std::uint64_t> keys, const BucketStarts& start, Then then)
{
  for (std::size_t b = 0; b < 256; ++b)
    if (start[b + 1] > start[b])
      then(keys.subspan(start[b], start[b + 1] - start[b]));
}

// Orders a few keys by insertion.
void insertionSort(std::span<std::uint64_t> keys)
{
  for (std::size_t i = 1; i < keys.size(); ++i) {
    std::uint64_t key = keys[i];
    std::size_t at = i;
    for (; at > 0 && keys[at - 1] > key; --at)
      keys[at] = keys[at - 1];
    keys[at] = key;
  }
}

// Orders by origin each run of keys of one address in keys that are ordered by address (std::sort: a long
// run of one address in random order would make insertion quadratic). Usually one compare per key.
void orderEqualAddresses(std::span<std::uint64_t> keys)
{
  auto sameAddress = [&](std::size_t a, std::size_t b) { return keys[a] >> 32 == keys[b] >> 32; };
  for (std::size_t i = 1; i < keys.size(); ++i) {
    if (keys[i] >= keys[i - 1])
      continue;
    std::size_t first = i - 1, end = i + 1;
    while (first > 0 && sameAddress(first - 1, i))
      --first;
    while (end < keys.size() && sameAddress(end, i))
      ++end;
    std::sort(
        keys.begin() + static_cast<std::ptrdiff_t>(first), keys.begin() + static_cast<std::ptrdiff_t>(end));
    i = end - 1;
  }
}

// Orders keys that agree from bit `above` up by their address bits from 32 to it (radixSort: stable, so
// equal addresses keep the order they came in), then equal addresses by origin.
void radixSortBelow(std::span<std::uint64_t> keys, unsigned above, std::vector<std::uint64_t>& scratch)
{
  radixSortInPlace<8>(keys, scratch, 32, above, [](std::uint64_t key) { return key; });
  orderEqualAddresses(keys);
}

constexpr std::size_t kScratchKeys = std::size_t { 1 } << 16; // 512 KiB: keys and scratch stay in L2 cache
constexpr std::size_t kInsertionKeys = 32; // fewer keys are ordered by insertion

// Orders keys that agree from bit `above` up (a /8's, a /16's) by the rest: by insertion when they are few,
// by radix through scratch when keys and scratch fit in cache, else in place by the next byte, then each
// part.
void sortBelow(std::span<std::uint64_t> keys, unsigned above, std::vector<std::uint64_t>& scratch)
{
  if (keys.size() < kInsertionKeys)
    insertionSort(keys);
  else if (keys.size() <= kScratchKeys || above == 32)
    radixSortBelow(keys, above, scratch);
  else
    flagSort(
        keys, 256, [shift = above - 8](std::uint64_t key) { return key >> shift & 0xff; },
        [&](std::span<std::uint64_t> part) { sortBelow(part, above - 8, scratch); });
}

} // namespace

void Ip4Singles::add(Ip4 ip, ValueId value, bool exclusion, std::uint32_t origin)
{
  d_keys.pushBack(std::uint64_t { ip } << 32 | d_values.add(value, exclusion, origin));
}

Ip4Singles::Item Ip4Singles::item(std::uint64_t key) const
{
  auto tagged = static_cast<std::uint32_t>(key);
  return { ipOf(key), OriginValues::originOf(tagged), d_values.value(tagged),
    OriginValues::isExclusion(tagged) };
}

// Sorts by the top address byte in one sequential pass that scatters the keys into a second array while
// the first hands its pages back as they are read (the two together stay about one array large; an
// in-place radix pass over millions of keys was a fifth of a 1M-line load), then each /8 by the rest
// (sortBelow: in cache, by radix).
void Ip4Singles::sort()
{
  d_values.sortListed();
  const BucketStarts start = bucketStarts(d_keys, 56);
  BucketStarts next = start;
  PageArray<std::uint64_t> sorted;
  sorted.resizeForOverwrite(d_keys.size());
  for (std::size_t i = 0; i < d_keys.size(); ++i) {
    std::uint64_t key = d_keys[i];
    sorted[next[key >> 56]++] = key;
    if (i % kReleaseEvery == kReleaseEvery - 1)
      d_keys.releaseBefore(i + 1);
  }
  d_keys = std::move(sorted); // swaps: sorted's destructor frees what is left of the old mapping
  std::vector<std::uint64_t> scratch;
  forEachBucket(
      d_keys.items(), start, [&](std::span<std::uint64_t> slash8) { sortBelow(slash8, 56, scratch); });
}

std::size_t Ip4Singles::distinctAddresses() const
{
  std::size_t count = 0;
  for (std::size_t i = 0; i < d_keys.size(); ++i)
    count += i == 0 || ipAt(i) != ipAt(i - 1);
  return count;
}

void Ip4Singles::clear()
{
  d_keys.clear();
  d_values.clear();
}

} // namespace shun::store::detail
