#include "shun/store/ip_map.hpp"

#include <algorithm>

namespace shun::store {
namespace {

/// A range as the walk reports it: pieces cut at /16 boundaries joined again.
struct JoinedRange {
  Ip4 first, last;
  std::uint32_t payload;
};

// The ranges that intersect [first, last], each joined whole from its pieces (also beyond the window), so
// a walk of a window reports a range as the walk of the whole map does. Buckets and pieces are the map's
// (a template: their types are private to Ip4Map). Binary searches find the window's ends; the cost is
// the pieces reported.
template <typename Buckets, typename Pieces>
std::vector<JoinedRange> joinedRanges(const Buckets& buckets, const Pieces& pieces, Ip4 first, Ip4 last)
{
  auto bucketOf = [&](std::size_t index) {
    auto after = std::upper_bound(buckets.begin(), buckets.end(), index,
        [](std::size_t i, const auto& bucket) { return i < bucket.range; });
    return static_cast<std::uint32_t>(after - buckets.begin() - 1);
  };
  auto start = [&](std::size_t i, std::uint32_t bucket) { return Ip4 { bucket << 16 | pieces[i].first }; };
  auto end = [&](std::size_t i, std::uint32_t bucket) { return Ip4 { bucket << 16 | pieces[i].last }; };
  auto joins = [&](std::size_t i, std::uint32_t bucket, std::size_t j, std::uint32_t nextBucket) {
    return pieces[i].payload == pieces[j].payload
        && std::uint64_t { end(i, bucket) } + 1 == start(j, nextBucket);
  };
  auto at = [&](std::uint32_t index) { return pieces.begin() + static_cast<std::ptrdiff_t>(index); };
  std::uint32_t low = first >> 16, high = last >> 16;
  auto from = static_cast<std::size_t>(
      std::partition_point(at(buckets[low].range), at(buckets[low + 1].range),
          [&](const auto& piece) { return piece.last < static_cast<std::uint16_t>(first); })
      - pieces.begin());
  auto to = static_cast<std::size_t>(
      std::partition_point(at(buckets[high].range), at(buckets[high + 1].range),
          [&](const auto& piece) { return piece.first <= static_cast<std::uint16_t>(last); })
      - pieces.begin());
  std::vector<JoinedRange> ranges;
  if (from >= to)
    return ranges;
  std::uint32_t bucket = bucketOf(from);
  for (; from > 0 && joins(from - 1, bucketOf(from - 1), from, bucket); --from)
    bucket = bucketOf(from - 1);
  for (; to < pieces.size() && joins(to - 1, bucketOf(to - 1), to, bucketOf(to));)
    ++to;
  for (std::size_t i = from; i < to; ++i) {
    while (buckets[bucket + 1].range <= i)
      ++bucket;
    if (!ranges.empty() && std::uint64_t { ranges.back().last } + 1 == start(i, bucket)
        && ranges.back().payload == pieces[i].payload)
      ranges.back().last = end(i, bucket);
    else
      ranges.push_back({ start(i, bucket), end(i, bucket), pieces[i].payload });
  }
  return ranges;
}

} // namespace

std::uint32_t Ip4Map::findRange(Ip4 ip) const noexcept
{
  if (d_buckets.empty())
    return kNoPayload;
  std::size_t lo = d_buckets[ip >> 16].range, hi = d_buckets[(ip >> 16) + 1].range;
  auto low = static_cast<std::uint16_t>(ip);
  // Last piece starting at or before low, with a branch-free binary search.
  const RangePiece* first = d_ranges.data() + lo;
  std::size_t n = hi - lo;
  if (n == 0)
    return kNoPayload;
  while (n > 1) {
    std::size_t half = n / 2;
    first = first[half].first <= low ? first + half : first;
    n -= half;
  }
  return first->first <= low && low <= first->last ? first->payload : kNoPayload;
}

std::uint32_t Ip4Map::find(Ip4 ip) const noexcept
{
  if (d_buckets.empty())
    return kNoPayload;
  std::uint32_t lo = d_buckets[ip >> 16].single, hi = d_buckets[(ip >> 16) + 1].single;
  if (lo != hi) {
    // Last single at or before ip, with a branch-free binary search.
    auto low = static_cast<std::uint16_t>(ip);
    const std::uint16_t* first = d_low16.data() + lo;
    for (std::size_t n = hi - lo; n > 1;) {
      std::size_t half = n / 2;
      first = first[half] <= low ? first + half : first;
      n -= half;
    }
    if (*first == low)
      return d_singlePayload[static_cast<std::size_t>(first - d_low16.data())]; // kNoPayload: excluded
  }
  return findRange(ip);
}

void Ip4Map::prefetchBucket(Ip4 ip) const noexcept
{
  if (!d_buckets.empty())
    __builtin_prefetch(d_buckets.data() + (ip >> 16));
}

void Ip4Map::prefetchSlices(Ip4 ip) const noexcept
{
  if (d_buckets.empty())
    return;
  const Bucket& bucket = d_buckets[ip >> 16];
  const Bucket& next = d_buckets[(ip >> 16) + 1];
  // A /16 holds few singles (about 16 in a million-entry map): the lines of each slice's ends are
  // usually all that the binary search and the payload read touch.
  if (bucket.single != next.single) {
    __builtin_prefetch(d_low16.data() + bucket.single);
    __builtin_prefetch(d_low16.data() + next.single - 1);
    __builtin_prefetch(d_singlePayload.data() + bucket.single);
    __builtin_prefetch(d_singlePayload.data() + next.single - 1);
  }
  if (bucket.range != next.range)
    __builtin_prefetch(d_ranges.data() + bucket.range);
}

bool Ip4Map::findSingle(Ip4 ip, std::uint32_t& payload) const noexcept
{
  if (d_buckets.empty())
    return false;
  std::uint32_t lo = d_buckets[ip >> 16].single, hi = d_buckets[(ip >> 16) + 1].single;
  const std::uint16_t* end = d_low16.data() + hi;
  const std::uint16_t* at = std::lower_bound(d_low16.data() + lo, end, static_cast<std::uint16_t>(ip));
  if (at == end || *at != static_cast<std::uint16_t>(ip))
    return false;
  payload = d_singlePayload[static_cast<std::size_t>(at - d_low16.data())];
  return true;
}

void Ip4Map::forEachSingle(
    const std::function<void(Ip4, std::uint32_t)>& visit, std::span<const Ip4> hidden) const
{
  if (d_buckets.empty())
    return;
  auto hide = hidden.begin();
  for (std::uint32_t bucket = 0; bucket + 1 < d_buckets.size(); ++bucket)
    for (std::uint32_t i = d_buckets[bucket].single; i < d_buckets[bucket + 1].single; ++i) {
      Ip4 ip = (bucket << 16) | d_low16[i];
      for (; hide != hidden.end() && *hide < ip; ++hide) { }
      if (hide == hidden.end() || *hide != ip)
        visit(ip, d_singlePayload[i]);
    }
}

bool Ip4Map::anyWithin(Ip4 first, Ip4 last) const noexcept
{
  if (d_buckets.empty())
    return false;
  for (std::uint32_t bucket = first >> 16; bucket <= (last >> 16); ++bucket) {
    Ip4 base = bucket << 16;
    for (std::uint32_t i = d_buckets[bucket].range; i < d_buckets[bucket + 1].range; ++i) {
      const RangePiece& piece = d_ranges[i];
      if ((base | piece.last) >= first && (base | piece.first) <= last)
        return true;
    }
    for (std::uint32_t i = d_buckets[bucket].single; i < d_buckets[bucket + 1].single; ++i) {
      Ip4 ip = base | d_low16[i];
      if (ip >= first && ip <= last && d_singlePayload[i] != kNoPayload)
        return true;
    }
    if (bucket == 0xffff)
      break;
  }
  return false;
}

bool Ip4Map::anyRangeWithin(Ip4 first, Ip4 last) const noexcept
{
  if (d_buckets.empty())
    return false;
  for (std::uint32_t bucket = first >> 16; bucket <= (last >> 16); ++bucket) {
    Ip4 base = bucket << 16;
    for (std::uint32_t i = d_buckets[bucket].range; i < d_buckets[bucket + 1].range; ++i)
      if ((base | d_ranges[i].last) >= first && (base | d_ranges[i].first) <= last)
        return true;
    if (bucket == 0xffff)
      break;
  }
  return false;
}

bool Ip4Map::anyListedSingleWithin(Ip4 first, Ip4 last, std::span<const Ip4> hidden) const noexcept
{
  if (d_buckets.empty())
    return false;
  // Both walks go up by address, so each hidden address is passed once.
  auto next = std::lower_bound(hidden.begin(), hidden.end(), first);
  for (std::uint32_t bucket = first >> 16; bucket <= (last >> 16); ++bucket) {
    Ip4 base = bucket << 16;
    for (std::uint32_t i = d_buckets[bucket].single; i < d_buckets[bucket + 1].single; ++i) {
      Ip4 ip = base | d_low16[i];
      if (ip < first || ip > last || d_singlePayload[i] == kNoPayload)
        continue;
      for (; next != hidden.end() && *next < ip; ++next) { }
      if (next == hidden.end() || *next != ip)
        return true;
    }
    if (bucket == 0xffff)
      break;
  }
  return false;
}

bool Ip4Map::level32RangeCovers(Ip4 ip) const noexcept
{
  // Pairs are stored flat: the first pair ending at or after ip decides.
  std::size_t pairs = d_level32.size() / 2, lo = 0, hi = pairs;
  while (lo < hi) {
    std::size_t mid = (lo + hi) / 2;
    if (d_level32[2 * mid + 1] < ip)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < pairs && d_level32[2 * lo] <= ip;
}

void Ip4Map::forEach(const std::function<void(Ip4, Ip4, std::uint32_t)>& visit, std::span<const Ip4> hidden,
    Ip4 first, Ip4 last) const
{
  if (d_buckets.empty() || first > last)
    return;
  std::vector<JoinedRange> ranges = joinedRanges(d_buckets, d_ranges, first, last);
  // Merge the singles inside the window with the ranges by address.
  std::size_t next = 0;
  auto hide = std::lower_bound(hidden.begin(), hidden.end(), first);
  for (std::uint32_t bucket = first >> 16; bucket <= (last >> 16); ++bucket) {
    std::uint32_t i = d_buckets[bucket].single, end = d_buckets[bucket + 1].single;
    if (bucket == first >> 16) // the first bucket may start inside: skip to the window
      i = static_cast<std::uint32_t>(
          std::lower_bound(d_low16.begin() + i, d_low16.begin() + end, static_cast<std::uint16_t>(first))
          - d_low16.begin());
    for (; i < end; ++i) {
      Ip4 ip = (bucket << 16) | d_low16[i];
      if (ip > last)
        break;
      for (; hide != hidden.end() && *hide < ip; ++hide) { }
      if (hide != hidden.end() && *hide == ip)
        continue;
      for (; next < ranges.size() && ranges[next].first <= ip; ++next)
        visit(ranges[next].first, ranges[next].last, ranges[next].payload);
      visit(ip, ip, d_singlePayload[i]);
    }
  }
  for (; next < ranges.size(); ++next)
    visit(ranges[next].first, ranges[next].last, ranges[next].payload);
}

std::size_t Ip4Map::rangeCount() const noexcept
{
  return d_low16.size() + d_ranges.size();
}

std::size_t Ip4Map::memoryBytes() const noexcept
{
  return d_buckets.capacity() * sizeof(Bucket) + d_low16.capacity() * 2 + d_singlePayload.capacity() * 4
      + d_ranges.capacity() * sizeof(RangePiece) + d_level32.capacity() * sizeof(Ip4);
}

} // namespace shun::store
