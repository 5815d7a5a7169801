#include "shun/store/ip_map.hpp"

#include <algorithm>
#include <utility>

namespace shun::store {
namespace {

/// A range as the walk reports it: pieces cut at /16 boundaries joined again.
struct JoinedRange {
  Ip4 first, last;
  std::uint32_t payload;
};

// The ranges that intersect [first, last], each joined whole from its pieces (also beyond the window), so
// a walk of a window reports a range as the walk of the whole map does. Buckets (the map's table, whose
// index 0 is block firstBlock) and pieces are the map's (a template: their types are private to Ip4Map);
// the window lies inside the blocks the table has. Binary searches find the window's ends; the cost is
// the pieces reported.
template <typename Buckets, typename Pieces>
std::vector<JoinedRange> joinedRanges(
    const Buckets& buckets, std::uint32_t firstBlock, const Pieces& pieces, Ip4 first, Ip4 last)
{
  auto bucketOf = [&](std::size_t index) {
    auto after = std::upper_bound(buckets.begin(), buckets.end(), index,
        [](std::size_t i, const auto& bucket) { return i < bucket.range; });
    return static_cast<std::uint32_t>(after - buckets.begin() - 1);
  };
  auto base = [&](std::uint32_t bucket) { return Ip4 { (firstBlock + bucket) << 16 }; };
  auto start = [&](std::size_t i, std::uint32_t bucket) { return Ip4 { base(bucket) | pieces[i].first }; };
  auto end = [&](std::size_t i, std::uint32_t bucket) { return Ip4 { base(bucket) | pieces[i].last }; };
  auto joins = [&](std::size_t i, std::uint32_t bucket, std::size_t j, std::uint32_t nextBucket) {
    return pieces[i].payload == pieces[j].payload
        && std::uint64_t { end(i, bucket) } + 1 == start(j, nextBucket);
  };
  auto at = [&](std::uint32_t index) { return pieces.begin() + static_cast<std::ptrdiff_t>(index); };
  std::uint32_t low = (first >> 16) - firstBlock, high = (last >> 16) - firstBlock;
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

// Payload of the one of n range pieces (of a block, sorted) that holds low, or kNoPayload.
template <typename Piece>
std::uint32_t pieceHolding(const Piece* first, std::size_t n, std::uint16_t low) noexcept
{
  if (n == 0)
    return kNoPayload;
  // Last piece starting at or before low, with a branch-free binary search.
  while (n > 1) {
    std::size_t half = n / 2;
    first = first[half].first <= low ? first + half : first;
    n -= half;
  }
  return first->first <= low && low <= first->last ? first->payload : kNoPayload;
}

} // namespace

Ip4Map::Ip4Map(Ip4Map&& other) noexcept
{
  *this = std::move(other);
}

Ip4Map& Ip4Map::operator=(Ip4Map&& other) noexcept
{
  d_buckets = std::move(other.d_buckets);
  d_firstBlock = std::exchange(other.d_firstBlock, 0);
  d_blocks = std::exchange(other.d_blocks, 0);
  d_low16 = std::move(other.d_low16);
  d_singlePayload = std::move(other.d_singlePayload);
  d_ranges = std::move(other.d_ranges);
  d_level32 = std::move(other.d_level32);
  return *this;
}

const Ip4Map::Bucket* Ip4Map::bucketOf(Ip4 ip) const noexcept
{
  std::uint32_t block = (ip >> 16) - d_firstBlock; // wraps below the first block: past d_blocks too
  return block < d_blocks ? d_buckets.get() + block : nullptr;
}

std::pair<std::uint32_t, std::uint32_t> Ip4Map::blocksWithin(Ip4 first, Ip4 last) const noexcept
{
  if (d_blocks == 0)
    return { 1, 0 };
  return { std::max(first >> 16, d_firstBlock), std::min(last >> 16, d_firstBlock + d_blocks - 1) };
}

std::uint32_t Ip4Map::findRange(Ip4 ip) const noexcept
{
  const Bucket* bucket = bucketOf(ip);
  if (!bucket)
    return kNoPayload;
  return pieceHolding(
      d_ranges.data() + bucket[0].range, bucket[1].range - bucket[0].range, static_cast<std::uint16_t>(ip));
}

std::uint32_t Ip4Map::find(Ip4 ip) const noexcept
{
  const Bucket* bucket = bucketOf(ip);
  if (!bucket)
    return kNoPayload;
  std::uint32_t lo = bucket[0].single, hi = bucket[1].single;
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
  // The block is known to be in the table: find's misses (most queries) do not check it again.
  return pieceHolding(
      d_ranges.data() + bucket[0].range, bucket[1].range - bucket[0].range, static_cast<std::uint16_t>(ip));
}

void Ip4Map::prefetchBucket(Ip4 ip) const noexcept
{
  if (const Bucket* bucket = bucketOf(ip))
    __builtin_prefetch(bucket);
}

void Ip4Map::prefetchSlices(Ip4 ip) const noexcept
{
  const Bucket* found = bucketOf(ip);
  if (!found)
    return;
  const Bucket& bucket = found[0];
  const Bucket& next = found[1];
  // A /16 holds few singles (about 16 in a million-entry map): the lines of each slice's ends are
  // usually all that the binary search and the payload read touch.
  if (bucket.single != next.single) {
    __builtin_prefetch(d_low16.data() + bucket.single);
    __builtin_prefetch(d_low16.data() + next.single - 1);
    __builtin_prefetch(d_singlePayload.address(bucket.single));
    __builtin_prefetch(d_singlePayload.address(next.single - 1));
  }
  if (bucket.range != next.range)
    __builtin_prefetch(d_ranges.data() + bucket.range);
}

bool Ip4Map::findSingle(Ip4 ip, std::uint32_t& payload) const noexcept
{
  const Bucket* bucket = bucketOf(ip);
  if (!bucket)
    return false;
  const std::uint16_t* end = d_low16.data() + bucket[1].single;
  const std::uint16_t* at
      = std::lower_bound(d_low16.data() + bucket[0].single, end, static_cast<std::uint16_t>(ip));
  if (at == end || *at != static_cast<std::uint16_t>(ip))
    return false;
  payload = d_singlePayload[static_cast<std::size_t>(at - d_low16.data())];
  return true;
}

void Ip4Map::forEachSingle(
    const std::function<void(Ip4, std::uint32_t)>& visit, std::span<const Ip4> hidden) const
{
  auto hide = hidden.begin();
  for (std::uint32_t b = 0; b < d_blocks; ++b) {
    Ip4 base = (d_firstBlock + b) << 16;
    for (std::uint32_t i = d_buckets[b].single; i < d_buckets[b + 1].single; ++i) {
      Ip4 ip = base | d_low16[i];
      for (; hide != hidden.end() && *hide < ip; ++hide) { }
      if (hide == hidden.end() || *hide != ip)
        visit(ip, d_singlePayload[i]);
    }
  }
}

bool Ip4Map::anyWithin(Ip4 first, Ip4 last) const noexcept
{
  auto [from, to] = blocksWithin(first, last);
  for (std::uint32_t block = from; block <= to; ++block) { // to <= 0xffff: no wrap
    Ip4 base = block << 16;
    const Bucket* bucket = d_buckets.get() + (block - d_firstBlock);
    for (std::uint32_t i = bucket[0].range; i < bucket[1].range; ++i) {
      const RangePiece& piece = d_ranges[i];
      if ((base | piece.last) >= first && (base | piece.first) <= last)
        return true;
    }
    for (std::uint32_t i = bucket[0].single; i < bucket[1].single; ++i) {
      Ip4 ip = base | d_low16[i];
      if (ip >= first && ip <= last && d_singlePayload[i] != kNoPayload)
        return true;
    }
  }
  return false;
}

bool Ip4Map::anyRangeWithin(Ip4 first, Ip4 last) const noexcept
{
  auto [from, to] = blocksWithin(first, last);
  for (std::uint32_t block = from; block <= to; ++block) {
    Ip4 base = block << 16;
    const Bucket* bucket = d_buckets.get() + (block - d_firstBlock);
    for (std::uint32_t i = bucket[0].range; i < bucket[1].range; ++i)
      if ((base | d_ranges[i].last) >= first && (base | d_ranges[i].first) <= last)
        return true;
  }
  return false;
}

bool Ip4Map::anyListedSingleWithin(Ip4 first, Ip4 last, std::span<const Ip4> hidden) const noexcept
{
  auto [from, to] = blocksWithin(first, last);
  // Both walks go up by address, so each hidden address is passed once.
  auto next = std::lower_bound(hidden.begin(), hidden.end(), first);
  for (std::uint32_t block = from; block <= to; ++block) {
    Ip4 base = block << 16;
    const Bucket* bucket = d_buckets.get() + (block - d_firstBlock);
    for (std::uint32_t i = bucket[0].single; i < bucket[1].single; ++i) {
      Ip4 ip = base | d_low16[i];
      if (ip < first || ip > last || d_singlePayload[i] == kNoPayload)
        continue;
      for (; next != hidden.end() && *next < ip; ++next) { }
      if (next == hidden.end() || *next != ip)
        return true;
    }
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
  auto [from, to] = blocksWithin(first, last);
  if (from > to || first > last)
    return;
  // Nothing lies outside the blocks of the table: the window shrinks to them.
  first = std::max(first, from << 16);
  last = std::min(last, to << 16 | 0xffff);
  std::vector<JoinedRange> ranges = joinedRanges(
      std::span(d_buckets.get(), d_blocks + std::size_t { 1 }), d_firstBlock, d_ranges, first, last);
  // Merge the singles inside the window with the ranges by address.
  std::size_t next = 0;
  auto hide = std::lower_bound(hidden.begin(), hidden.end(), first);
  for (std::uint32_t block = from; block <= to; ++block) { // to <= 0xffff: no wrap
    const Bucket* bucket = d_buckets.get() + (block - d_firstBlock);
    std::uint32_t i = bucket[0].single, end = bucket[1].single;
    if (block == from) // the first block may start inside: skip to the window
      i = static_cast<std::uint32_t>(
          std::lower_bound(d_low16.begin() + i, d_low16.begin() + end, static_cast<std::uint16_t>(first))
          - d_low16.begin());
    for (; i < end; ++i) {
      Ip4 ip = (block << 16) | d_low16[i];
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
  return (d_blocks == 0 ? 0 : (d_blocks + std::size_t { 1 }) * sizeof(Bucket)) + d_low16.capacity() * 2
      + d_singlePayload.capacityBytes() + d_ranges.capacity() * sizeof(RangePiece)
      + d_level32.capacity() * sizeof(Ip4);
}

} // namespace shun::store
