#include "ip4_singles.hpp"

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

// Orders keys in place by their byte at shift (American flag sort: each key is carried to its bucket's
// next free slot). 256 buckets keep the slots being written in cache. Calls then(bucket) for each bucket.
template <typename Then> void flagSortByte(std::span<std::uint64_t> keys, unsigned shift, Then then)
{
  const BucketStarts start = bucketStarts(keys, shift);
  BucketStarts next = start;
  for (std::size_t b = 0; b < 256; ++b) {
    while (next[b] < start[b + 1]) {
      std::uint64_t key = keys[next[b]];
      for (std::size_t home = (key >> shift) & 0xff; home != b; home = (key >> shift) & 0xff)
        std::swap(key, keys[next[home]++]);
      keys[next[b]++] = key;
    }
  }
  forEachBucket(keys, start, then);
}

// Orders keys by their byte at shift through scratch (a count, a scatter, a copy back: no data-dependent
// swap loop), for slices small enough that the scratch stays in cache. Calls then(bucket) for each bucket.
template <typename Then>
void scatterSortByte(
    std::span<std::uint64_t> keys, unsigned shift, std::vector<std::uint64_t>& scratch, Then then)
{
  const BucketStarts start = bucketStarts(keys, shift);
  BucketStarts next = start;
  scratch.resize(keys.size());
  for (std::uint64_t key : keys)
    scratch[next[(key >> shift) & 0xff]++] = key;
  std::copy(scratch.begin(), scratch.end(), keys.begin());
  forEachBucket(keys, start, then);
}

constexpr std::size_t kScratchKeys = std::size_t { 1 } << 15; // 256 KiB: the scratch stays in L2 cache

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
// in-place radix pass over millions of keys was a fifth of a 1M-line load), then each /8 by its second
// byte (through a small scratch array, or in place for a /8 too large for it), then each /16's few keys
// by std::sort.
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
  auto sortSlash16 = [](std::span<std::uint64_t> slash16) { std::sort(slash16.begin(), slash16.end()); };
  std::vector<std::uint64_t> scratch;
  forEachBucket(d_keys.items(), start, [&](std::span<std::uint64_t> slash8) {
    if (slash8.size() <= kScratchKeys)
      scatterSortByte(slash8, 48, scratch, sortSlash16);
    else
      flagSortByte(slash8, 48, sortSlash16);
  });
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
