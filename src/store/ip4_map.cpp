#include "range_sweep.hpp"
#include "shun/store/ip_map.hpp"

#include <algorithm>

namespace shun::store {
namespace {

constexpr std::size_t kBuckets = 1u << 16; // single addresses and ranges are indexed by their top 16 bits

struct Single {
  Ip4 ip;
  std::uint32_t index; // into the builder's entries
};

} // namespace

void Ip4MapBuilder::add(
    Ip4 first, Ip4 last, std::uint8_t priority, ValueId value, bool exclusion, std::uint32_t origin)
{
  d_entries.push_back({ first, last, priority, exclusion, value, origin });
}

std::size_t Ip4MapBuilder::size() const noexcept
{
  return d_entries.size();
}

Ip4Map Ip4MapBuilder::build(ValueSets& sets, std::vector<std::uint32_t>& droppedOrigins)
{
  // Most entries of a DNSBL are single /32s: they skip the (slower) range sweep unless an ip4set range of
  // the same level covers them, because then their values merge with the range's.
  std::vector<detail::SweepEntry<Ip4>> ranges;
  std::vector<Single> singles;
  singles.reserve(d_entries.size());
  for (std::uint32_t i = 0; i < d_entries.size(); ++i) {
    const Entry& e = d_entries[i];
    if (e.first == e.last && e.priority == 32)
      singles.push_back({ e.first, i });
    else
      ranges.push_back({ e.first, e.last, e.priority, e.exclusion, e.value, e.origin });
  }
  if (d_overlap == Overlap::UnionPerLevel) {
    std::vector<std::pair<Ip4, Ip4>> level32;
    for (const auto& r : ranges)
      if (r.priority == 32)
        level32.emplace_back(r.first, r.last);
    if (!level32.empty()) {
      std::sort(level32.begin(), level32.end());
      auto coveredBy32 = [&](Ip4 ip) {
        auto it = std::upper_bound(level32.begin(), level32.end(), std::pair<Ip4, Ip4>(ip, ~Ip4 {}));
        for (auto scan = level32.begin(); scan != it; ++scan) // level-32 ranges are rare (ragged ranges)
          if (scan->second >= ip)
            return true;
        return false;
      };
      std::erase_if(singles, [&](const Single& s) {
        if (!coveredBy32(s.ip))
          return false;
        const Entry& e = d_entries[s.index];
        ranges.push_back({ e.first, e.last, e.priority, e.exclusion, e.value, e.origin });
        return true;
      });
    }
  }
  auto segments = detail::sweepRanges(ranges, d_overlap, sets, droppedOrigins);

  Ip4Map map;
  map.d_rangeFirst.reserve(segments.size());
  for (const auto& segment : segments) {
    map.d_rangeFirst.push_back(segment.first);
    map.d_rangeLast.push_back(segment.last);
    map.d_rangePayload.push_back(segment.payload);
  }
  map.d_rangeBucket.assign(kBuckets + 1, static_cast<std::uint32_t>(map.d_rangeLast.size()));
  for (std::size_t b = 0; b < kBuckets; ++b) {
    auto it = std::lower_bound(map.d_rangeLast.begin(), map.d_rangeLast.end(), static_cast<Ip4>(b << 16));
    map.d_rangeBucket[b] = static_cast<std::uint32_t>(it - map.d_rangeLast.begin());
  }

  std::sort(singles.begin(), singles.end(), [&](const Single& a, const Single& b) {
    return a.ip != b.ip ? a.ip < b.ip : d_entries[a.index].origin < d_entries[b.index].origin;
  });
  std::vector<std::uint32_t> setOfValue; // ValueId -> set holding just that value (+1; 0: none yet)
  std::vector<ValueId> values;
  map.d_bucket.assign(kBuckets + 1, 0);
  for (std::size_t i = 0; i < singles.size();) {
    std::size_t end = i;
    bool excluded = false;
    values.clear();
    for (; end < singles.size() && singles[end].ip == singles[i].ip; ++end) {
      const Entry& e = d_entries[singles[end].index];
      if (d_overlap == Overlap::LongestPrefix && end > i) {
        droppedOrigins.push_back(e.origin);
        continue;
      }
      excluded |= e.exclusion;
      if (!e.exclusion && std::find(values.begin(), values.end(), e.value) == values.end())
        values.push_back(e.value);
    }
    Ip4 ip = singles[i].ip;
    i = end;
    std::uint32_t payload = kNoPayload;
    if (excluded) {
      if (map.findRange(ip) == kNoPayload)
        continue; // an exclusion with nothing around it to cut a hole in
    } else if (values.size() == 1) {
      if (setOfValue.size() <= values[0])
        setOfValue.resize(values[0] + 1, 0);
      if (setOfValue[values[0]] == 0)
        setOfValue[values[0]] = sets.intern(values) + 1;
      payload = setOfValue[values[0]] - 1;
    } else {
      payload = sets.intern(values);
    }
    ++map.d_bucket[(ip >> 16) + 1];
    map.d_low16.push_back(static_cast<std::uint16_t>(ip));
    map.d_singlePayload.push_back(payload);
  }
  for (std::size_t b = 0; b < kBuckets; ++b)
    map.d_bucket[b + 1] += map.d_bucket[b];

  d_entries.clear();
  return map;
}

std::uint32_t Ip4Map::findRange(Ip4 ip) const noexcept
{
  if (d_rangeFirst.empty())
    return kNoPayload;
  std::size_t bucket = ip >> 16;
  // The range holding ip, if any, ends at or after this bucket's start and starts at or before ip.
  auto lo = d_rangeFirst.begin() + d_rangeBucket[bucket];
  auto hi = d_rangeFirst.begin() + std::min<std::size_t>(d_rangeBucket[bucket + 1] + 1, d_rangeFirst.size());
  auto it = std::upper_bound(lo, hi, ip);
  if (it == lo)
    return kNoPayload;
  std::size_t index = static_cast<std::size_t>(it - d_rangeFirst.begin()) - 1;
  return ip <= d_rangeLast[index] ? d_rangePayload[index] : kNoPayload;
}

std::uint32_t Ip4Map::find(Ip4 ip) const noexcept
{
  if (!d_bucket.empty()) {
    std::uint32_t lo = d_bucket[ip >> 16], hi = d_bucket[(ip >> 16) + 1];
    if (lo != hi) {
      const std::uint16_t* base = d_low16.data();
      auto low = static_cast<std::uint16_t>(ip);
      const std::uint16_t* it = std::lower_bound(base + lo, base + hi, low);
      if (it != base + hi && *it == low)
        return d_singlePayload[static_cast<std::size_t>(it - base)]; // kNoPayload: an excluded hole
    }
  }
  return findRange(ip);
}

bool Ip4Map::anyWithin(Ip4 first, Ip4 last) const noexcept
{
  auto it = std::lower_bound(d_rangeLast.begin(), d_rangeLast.end(), first);
  if (it != d_rangeLast.end() && d_rangeFirst[static_cast<std::size_t>(it - d_rangeLast.begin())] <= last)
    return true;
  if (d_bucket.empty())
    return false;
  for (std::uint32_t bucket = first >> 16; bucket <= (last >> 16); ++bucket) {
    for (std::uint32_t i = d_bucket[bucket]; i < d_bucket[bucket + 1]; ++i) {
      Ip4 ip = (bucket << 16) | d_low16[i];
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
  std::size_t range = 0;
  auto flushRangesBefore = [&](std::uint64_t limit) {
    for (; range < d_rangeFirst.size() && d_rangeFirst[range] < limit; ++range)
      visit(d_rangeFirst[range], d_rangeLast[range], d_rangePayload[range]);
  };
  for (std::uint32_t bucket = 0; !d_bucket.empty() && bucket < kBuckets; ++bucket) {
    for (std::uint32_t i = d_bucket[bucket]; i < d_bucket[bucket + 1]; ++i) {
      Ip4 ip = (bucket << 16) | d_low16[i];
      flushRangesBefore(std::uint64_t { ip } + 1);
      visit(ip, ip, d_singlePayload[i]);
    }
  }
  flushRangesBefore(std::uint64_t { 1 } << 32);
}

std::size_t Ip4Map::rangeCount() const noexcept
{
  return d_low16.size() + d_rangeFirst.size();
}

std::size_t Ip4Map::memoryBytes() const noexcept
{
  return d_bucket.capacity() * 4 + d_low16.capacity() * 2 + d_singlePayload.capacity() * 4
      + d_rangeFirst.capacity() * 4 + d_rangeLast.capacity() * 4 + d_rangePayload.capacity() * 4
      + d_rangeBucket.capacity() * 4;
}

} // namespace shun::store
