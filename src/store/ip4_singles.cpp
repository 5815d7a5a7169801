#include "ip4_singles.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>

namespace shun::store::detail {
namespace {

constexpr auto byOrigin = [](const auto& a, const auto& b) { return a.origin < b.origin; };

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
  if (origin > kMaxOrigin)
    throw std::length_error("too many lines in one dataset");
  Tag tag = exclusion ? kExclusion : valueTag(value, origin);
  d_maxOrigin = std::max(d_maxOrigin, origin);
  d_keys.pushBack(std::uint64_t { ip } << 32 | std::uint64_t { origin } << 2 | tag);
}

// Where the value of a new entry is kept: in the current run, in a new run, or listed.
Ip4Singles::Tag Ip4Singles::valueTag(ValueId value, std::uint32_t origin)
{
  if (!d_runs.empty() && origin >= d_runs.back().origin && d_runs.back().value == value) {
    d_streak = 0;
    return kInRun;
  }
  d_streak = d_streak > 0 && d_listed.back().value == value ? d_streak + 1 : 1;
  // A value that many entries in a row share starts a run (after a new default line, in the next file);
  // only after every origin added so far, so that each earlier entry still finds its own run.
  if (d_runs.empty() || (d_streak > kRunAfter && origin > d_maxOrigin)) {
    d_runs.push_back({ origin, value });
    d_streak = 0;
    return kInRun;
  }
  d_listed.pushBack({ origin, value });
  return kListed;
}

Ip4Singles::Item Ip4Singles::item(std::uint64_t key) const
{
  auto origin = static_cast<std::uint32_t>(key >> 2) & kMaxOrigin;
  switch (key & 3) {
  case kInRun: {
    auto after = std::upper_bound(d_runs.begin(), d_runs.end(), Tagged { origin, 0 }, byOrigin);
    return { ipOf(key), origin, std::prev(after)->value, false };
  }
  case kListed:
    return { ipOf(key), origin,
      std::lower_bound(d_listed.begin(), d_listed.end(), Tagged { origin, 0 }, byOrigin)->value, false };
  default:
    return { ipOf(key), origin, 0, true };
  }
}

// Sorts in place, without the scratch copy of every entry a plain radix sort takes: the top two address
// bytes by radix, then each /16's few keys by std::sort.
void Ip4Singles::sort()
{
  if (!std::is_sorted(d_listed.begin(), d_listed.end(), byOrigin))
    std::sort(d_listed.begin(), d_listed.end(), byOrigin); // origins added out of order
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
  d_runs = {};
  d_listed.clear();
  d_maxOrigin = 0;
  d_streak = 0;
}

} // namespace shun::store::detail
