#include "ip4_singles.hpp"

#include <algorithm>
#include <array>

namespace shun::store::detail {
namespace {

// Orders keys in place by their byte at shift (American flag sort: each key is carried to its bucket's
// next free slot). 256 buckets keep the slots being written in cache. Calls then(bucket) for each bucket.
template <typename Then> void flagSortByte(std::span<std::uint64_t> keys, unsigned shift, Then then)
{
  std::array<std::size_t, 257> next {};
  for (std::uint64_t key : keys)
    ++next[((key >> shift) & 0xff) + 1];
  for (std::size_t b = 0; b < 256; ++b)
    next[b + 1] += next[b];
  std::array<std::size_t, 257> start = next;
  for (std::size_t b = 0; b < 256; ++b) {
    while (next[b] < start[b + 1]) {
      std::uint64_t key = keys[next[b]];
      for (std::size_t home = (key >> shift) & 0xff; home != b; home = (key >> shift) & 0xff)
        std::swap(key, keys[next[home]++]);
      keys[next[b]++] = key;
    }
  }
  for (std::size_t b = 0; b < 256; ++b)
    if (start[b + 1] > start[b])
      then(keys.subspan(start[b], start[b + 1] - start[b]));
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

// Sorts in place, without the scratch copy of every entry a plain radix sort takes: the top two address
// bytes by radix, then each /16's few keys by std::sort.
void Ip4Singles::sort()
{
  d_values.sortListed();
  flagSortByte(d_keys.items(), 56, [](std::span<std::uint64_t> slash8) {
    flagSortByte(
        slash8, 48, [](std::span<std::uint64_t> slash16) { std::sort(slash16.begin(), slash16.end()); });
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
