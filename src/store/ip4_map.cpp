#include "range_sweep.hpp"
#include "shun/store/ip_map.hpp"

#include <algorithm>
#include <utility>

namespace shun::store {
namespace {

constexpr std::size_t kBuckets = 1u << 16; // single addresses and ranges are indexed by their top 16 bits

} // namespace

void Ip4MapBuilder::add(
    Ip4 first, Ip4 last, std::uint8_t priority, ValueId value, bool exclusion, std::uint32_t origin)
{
  d_entries.push_back({ first, last, priority, exclusion, value, origin });
}

void Ip4MapBuilder::eraseIf(const std::function<bool(Ip4, Ip4)>& matches)
{
  std::erase_if(d_entries, [&](const Entry& entry) { return matches(entry.first, entry.last); });
}

std::size_t Ip4MapBuilder::size() const noexcept
{
  return d_entries.size();
}

namespace {

// Merged, sorted spans covered by ip4set ranges of octet level 32 (e.g. a /25 or a ragged a-b range).
std::vector<std::pair<Ip4, Ip4>> level32Spans(const std::vector<detail::SweepEntry<Ip4>>& ranges)
{
  std::vector<std::pair<Ip4, Ip4>> spans;
  for (const auto& range : ranges)
    if (range.priority == 32)
      spans.emplace_back(range.first, range.last);
  std::sort(spans.begin(), spans.end());
  std::vector<std::pair<Ip4, Ip4>> merged;
  for (const auto& span : spans) {
    if (!merged.empty() && std::uint64_t { merged.back().second } + 1 >= span.first)
      merged.back().second = std::max(merged.back().second, span.second);
    else
      merged.push_back(span);
  }
  return merged;
}

// Stable LSD radix sort of singles by address (two 16-bit passes): linear, and no indirect comparator.
template <typename Single> void radixSortByIp(std::vector<Single>& singles)
{
  std::vector<Single> scratch(singles.size());
  std::vector<std::uint32_t> count(kBuckets);
  for (unsigned shift : { 0u, 16u }) {
    std::fill(count.begin(), count.end(), 0);
    for (const Single& single : singles)
      ++count[(single.ip >> shift) & 0xffff];
    std::uint32_t sum = 0;
    for (std::uint32_t& c : count)
      sum += std::exchange(c, sum);
    for (const Single& single : singles)
      scratch[count[(single.ip >> shift) & 0xffff]++] = single;
    singles.swap(scratch);
  }
}

// True if origins never decrease along the items (one file read in order, the usual case).
template <typename Item> bool originsAscending(const std::vector<Item>& items)
{
  for (std::size_t i = 1; i < items.size(); ++i)
    if (items[i].origin < items[i - 1].origin)
      return false;
  return true;
}

bool covered(const std::vector<std::pair<Ip4, Ip4>>& spans, Ip4 ip)
{
  auto it = std::upper_bound(spans.begin(), spans.end(), std::pair<Ip4, Ip4>(ip, ~Ip4 {}));
  return it != spans.begin() && std::prev(it)->second >= ip;
}

} // namespace

void Ip4MapBuilder::splitEntries(
    std::vector<detail::SweepEntry<Ip4>>& ranges, std::vector<Single>& singles) const
{
  singles.reserve(d_entries.size());
  for (const Entry& e : d_entries) {
    if (e.first == e.last && e.priority == 32)
      singles.push_back({ e.first, e.value, e.origin & 0x7fffffff, e.exclusion });
    else
      ranges.push_back({ e.first, e.last, e.priority, e.exclusion, e.value, e.origin });
  }
  if (d_overlap != Overlap::UnionPerLevel)
    return;
  // ip4set merges every value of the most specific level: a single inside a level-32 range joins the sweep.
  auto spans = level32Spans(ranges);
  if (spans.empty())
    return;
  // Most singles share no /24 with a span: one bit per /24 (2 MiB while loading) skips their search.
  std::vector<std::uint64_t> spanned(std::size_t { 1 } << 18);
  for (const auto& span : spans)
    for (std::uint32_t block = span.first >> 8; block <= span.second >> 8; ++block)
      spanned[block >> 6] |= std::uint64_t { 1 } << (block & 63);
  std::erase_if(singles, [&](const Single& single) {
    std::uint32_t block = single.ip >> 8;
    if ((spanned[block >> 6] >> (block & 63) & 1) == 0 || !covered(spans, single.ip))
      return false;
    ranges.push_back({ single.ip, single.ip, 32, single.exclusion != 0, single.value, single.origin });
    return true;
  });
}

void Ip4MapBuilder::addRanges(Ip4Map& map, const std::vector<detail::Segment<Ip4>>& segments)
{
  // Cut every segment at /16 boundaries so each piece lives in one bucket (a /8 becomes 256 pieces;
  // ranges are the rare entries of a DNSBL).
  map.d_buckets.assign(kBuckets + 1, { 0, 0 });
  for (const auto& segment : segments) {
    for (std::uint64_t start = segment.first; start <= segment.last;) {
      std::uint64_t blockEnd = start | 0xffff;
      std::uint64_t end = std::min<std::uint64_t>(blockEnd, segment.last);
      map.d_ranges.push_back(
          { static_cast<std::uint16_t>(start), static_cast<std::uint16_t>(end), segment.payload });
      ++map.d_buckets[(start >> 16) + 1].range;
      start = end + 1;
    }
  }
  for (std::size_t b = 0; b < kBuckets; ++b)
    map.d_buckets[b + 1].range += map.d_buckets[b].range;
  map.d_ranges.shrink_to_fit();
}

void Ip4MapBuilder::addSingles(
    Ip4Map& map, std::vector<Single>& singles, ValueSets& sets, std::vector<std::uint32_t>& droppedOrigins)
{
  // splitEntries keeps entry order, so a stable sort by address orders equal addresses by origin when
  // origins ascend along the entries.
  if (originsAscending(singles))
    radixSortByIp(singles);
  else
    std::sort(singles.begin(), singles.end(),
        [](const Single& a, const Single& b) { return a.ip != b.ip ? a.ip < b.ip : a.origin < b.origin; });
  map.d_low16.reserve(singles.size());
  map.d_singlePayload.reserve(singles.size());
  std::vector<std::uint32_t> setOfValue; // ValueId -> 1 + the set holding just that value (0: none yet)
  std::vector<ValueId> values;
  for (std::size_t i = 0; i < singles.size();) {
    Ip4 ip = singles[i].ip;
    bool excluded = false;
    values.clear();
    for (std::size_t at = i; i < singles.size() && singles[i].ip == ip; ++i) {
      const Single& e = singles[i];
      if (d_overlap == Overlap::LongestPrefix && i > at) {
        droppedOrigins.push_back(e.origin); // rbldnsd's tries keep the first of identical prefixes
        continue;
      }
      excluded |= e.exclusion;
      if (!e.exclusion && std::find(values.begin(), values.end(), e.value) == values.end())
        values.push_back(e.value);
    }
    if (excluded && map.findRange(ip) == kNoPayload)
      continue; // an exclusion with nothing around it to cut a hole in
    std::uint32_t payload = kNoPayload;
    if (!excluded && values.size() == 1) {
      if (setOfValue.size() <= values[0])
        setOfValue.resize(values[0] + 1, 0);
      if (setOfValue[values[0]] == 0)
        setOfValue[values[0]] = sets.intern(values) + 1;
      payload = setOfValue[values[0]] - 1;
    } else if (!excluded) {
      payload = sets.intern(values);
    }
    ++map.d_buckets[(ip >> 16) + 1].single;
    map.d_low16.push_back(static_cast<std::uint16_t>(ip));
    map.d_singlePayload.push_back(payload);
  }
  for (std::size_t b = 0; b < kBuckets; ++b)
    map.d_buckets[b + 1].single += map.d_buckets[b].single;
  map.d_low16.shrink_to_fit();
  map.d_singlePayload.shrink_to_fit();
}

Ip4Map Ip4MapBuilder::build(ValueSets& sets, std::vector<std::uint32_t>& droppedOrigins)
{
  // Most entries of a DNSBL are single /32s: they skip the (slower) range sweep.
  std::vector<detail::SweepEntry<Ip4>> ranges;
  std::vector<Single> singles;
  splitEntries(ranges, singles);
  d_entries.clear(); // singles and ranges carry everything now: free the largest array before sorting
  d_entries.shrink_to_fit();
  Ip4Map map;
  addRanges(map, detail::sweepRanges(ranges, d_overlap, sets, droppedOrigins));
  addSingles(map, singles, sets, droppedOrigins);
  return map;
}

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

void Ip4Map::forEach(const std::function<void(Ip4, Ip4, std::uint32_t)>& visit) const
{
  if (d_buckets.empty())
    return;
  // Join the pieces that were cut at /16 boundaries, then merge them with the singles by address.
  struct Range {
    Ip4 first, last;
    std::uint32_t payload;
  };
  std::vector<Range> ranges;
  for (std::uint32_t bucket = 0; bucket < kBuckets; ++bucket) {
    for (std::uint32_t i = d_buckets[bucket].range; i < d_buckets[bucket + 1].range; ++i) {
      const RangePiece& piece = d_ranges[i];
      Ip4 first = (bucket << 16) | piece.first, last = (bucket << 16) | piece.last;
      if (!ranges.empty() && ranges.back().last + 1 == first && ranges.back().payload == piece.payload)
        ranges.back().last = last;
      else
        ranges.push_back({ first, last, piece.payload });
    }
  }
  std::size_t next = 0;
  for (std::uint32_t bucket = 0; bucket < kBuckets; ++bucket) {
    for (std::uint32_t i = d_buckets[bucket].single; i < d_buckets[bucket + 1].single; ++i) {
      Ip4 ip = (bucket << 16) | d_low16[i];
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
      + d_ranges.capacity() * sizeof(RangePiece);
}

} // namespace shun::store
