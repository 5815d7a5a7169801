#include "ip4_singles.hpp"
#include "page_array.hpp"
#include "range_sweep.hpp"
#include "shun/store/ip_map.hpp"

#include <algorithm>
#include <utility>

namespace shun::store {
namespace {

constexpr std::size_t kBuckets = 1u << 16; // single addresses and ranges are indexed by their top 16 bits
constexpr std::size_t kReleaseEvery = 1u << 16; // items copied between two hand-backs of their pages

} // namespace

bool startsBefore(const Ip4Entry& a, const Ip4Entry& b) noexcept
{
  return a.first != b.first ? a.first < b.first : a.origin < b.origin;
}

Ip4MapBuilder::Ip4MapBuilder(Overlap overlap)
    : d_overlap(overlap)
    , d_singles(std::make_unique<detail::Ip4Singles>())
    , d_ranges(std::make_unique<detail::PageArray<detail::SweepEntry<Ip4>>>())
{
}

Ip4MapBuilder::~Ip4MapBuilder() = default;

void Ip4MapBuilder::add(
    Ip4 first, Ip4 last, std::uint8_t priority, ValueId value, bool exclusion, std::uint32_t origin)
{
  if (first == last && priority == 32)
    d_singles->add(first, value, exclusion, origin);
  else
    d_ranges->pushBack({ first, last, priority, exclusion, value, origin });
}

void Ip4MapBuilder::eraseIf(const std::function<bool(Ip4, Ip4)>& matches)
{
  d_singles->eraseIf([&](Ip4 ip) { return matches(ip, ip); });
  d_ranges->eraseIf([&](const detail::SweepEntry<Ip4>& range) { return matches(range.first, range.last); });
}

std::size_t Ip4MapBuilder::size() const noexcept
{
  return d_singles->size() + d_ranges->size();
}

Ip4Map Ip4MapBuilder::build(
    ValueSets& sets, std::vector<std::uint32_t>& droppedOrigins, std::vector<Ip4Entry>* rangeLayer)
{
  d_singles->sort();
  if (d_overlap == Overlap::UnionPerLevel) {
    detail::sortByStart<Ip4>(d_ranges->items());
    moveSinglesIntoLevel32Ranges();
  }
  Ip4Map map;
  if (d_singles->size() == 0 && d_ranges->size() == 0)
    return map; // no bucket table (512 KiB) for a map without entries: every lookup misses
  if (d_overlap == Overlap::UnionPerLevel)
    recordLevel32(map);
  std::size_t ranges = 0;
  if (rangeLayer) { // by start, as the sweep wants them anyway: a change set merges its own in
    detail::sortByStart<Ip4>(d_ranges->items());
    for (std::size_t i = 0; i < d_ranges->size(); ++i) {
      const auto& e = (*d_ranges)[i];
      rangeLayer->push_back({ e.first, e.last, e.priority, e.exclusion, e.value, e.origin });
    }
    ranges = rangeLayer->size();
  }
  addRanges(map, sets, droppedOrigins);
  addSingles(map, sets, droppedOrigins, rangeLayer); // appends the excluded singles, by address
  if (rangeLayer) {
    std::inplace_merge(rangeLayer->begin(), rangeLayer->begin() + static_cast<std::ptrdiff_t>(ranges),
        rangeLayer->end(), startsBefore);
    rangeLayer->shrink_to_fit();
  }
  return map;
}

// ip4set merges every value of the most specific level: a single inside a level-32 range joins the sweep.
// Singles and ranges both come by address here, so one walk along both finds them.
void Ip4MapBuilder::moveSinglesIntoLevel32Ranges()
{
  std::size_t ranges = d_ranges->size(), next = 0;
  std::uint64_t reach = 0; // one past the last address of the level-32 ranges started so far
  auto covered = [&](Ip4 ip) {
    for (; next < ranges && (*d_ranges)[next].first <= ip; ++next)
      if ((*d_ranges)[next].priority == 32)
        reach = std::max<std::uint64_t>(reach, std::uint64_t { (*d_ranges)[next].last } + 1);
    return reach > ip;
  };
  d_singles->extractIf(covered, [&](const detail::Ip4Singles::Item& single) {
    d_ranges->pushBack({ single.ip, single.ip, 32, single.exclusion, single.value, single.origin });
  });
}

// Keeps where level-32 ranges lie (sorted by start here, moved singles appended): a change to a single
// address there is not one an overlay can answer apart from the ranges (Ip4Map::level32RangeCovers).
void Ip4MapBuilder::recordLevel32(Ip4Map& map) const
{
  for (std::size_t i = 0; i < d_ranges->size(); ++i) {
    const auto& range = (*d_ranges)[i];
    if (range.priority != 32 || range.first == range.last)
      continue; // one address at level 32 is a single (moved here only when a range covers it)
    if (!map.d_level32.empty() && std::uint64_t { map.d_level32.back() } + 1 >= range.first) {
      map.d_level32.back() = std::max(map.d_level32.back(), range.last);
      continue;
    }
    map.d_level32.push_back(range.first);
    map.d_level32.push_back(range.last);
  }
  map.d_level32.shrink_to_fit();
}

void Ip4MapBuilder::addRanges(Ip4Map& map, ValueSets& sets, std::vector<std::uint32_t>& droppedOrigins)
{
  // Cut every segment at /16 boundaries so each piece lives in one bucket (a /8 becomes 256 pieces;
  // ranges are the rare entries of a DNSBL).
  map.d_buckets.assign(kBuckets + 1, { 0, 0 });
  detail::PageArray<Ip4Map::RangePiece> pieces;
  auto addSegment = [&](const detail::Segment<Ip4>& segment) {
    for (std::uint64_t start = segment.first; start <= segment.last;) {
      std::uint64_t end = std::min<std::uint64_t>(start | 0xffff, segment.last);
      pieces.pushBack(
          { static_cast<std::uint16_t>(start), static_cast<std::uint16_t>(end), segment.payload });
      ++map.d_buckets[(start >> 16) + 1].range;
      start = end + 1;
    }
  };
  // The entries swept past give their memory back while the pieces grow.
  detail::sweepRanges<Ip4>(d_ranges->items(), d_overlap, sets, droppedOrigins, addSegment,
      [&](std::size_t retired) { d_ranges->releaseBefore(retired); });
  d_ranges->clear();
  for (std::size_t b = 0; b < kBuckets; ++b)
    map.d_buckets[b + 1].range += map.d_buckets[b].range;
  map.d_ranges.reserve(pieces.size()); // exactly: no growing copies, nothing to shrink
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    map.d_ranges.push_back(pieces[i]);
    if (i % kReleaseEvery == 0)
      pieces.releaseBefore(i);
  }
}

void Ip4MapBuilder::addSingles(Ip4Map& map, ValueSets& sets, std::vector<std::uint32_t>& droppedOrigins,
    std::vector<Ip4Entry>* rangeLayer)
{
  detail::Ip4Singles& singles = *d_singles;
  std::size_t addresses = singles.distinctAddresses();
  map.d_low16.reserve(addresses);
  map.d_singlePayload.reserve(addresses);
  std::vector<std::uint32_t> setOfValue; // ValueId -> 1 + the set holding just that value (0: none yet)
  std::vector<ValueId> values;
  for (std::size_t i = 0, released = 0; i < singles.size();) {
    Ip4 ip = singles.ipAt(i);
    bool excluded = false;
    std::uint32_t excludedBy = 0;
    values.clear();
    for (std::size_t at = i; i < singles.size() && singles.ipAt(i) == ip; ++i) {
      auto e = singles[i];
      if (d_overlap == Overlap::LongestPrefix && i > at) {
        droppedOrigins.push_back(e.origin); // rbldnsd's tries keep the first of identical prefixes
        continue;
      }
      if (e.exclusion && !excluded)
        excludedBy = e.origin;
      excluded |= e.exclusion;
      if (!e.exclusion && std::find(values.begin(), values.end(), e.value) == values.end())
        values.push_back(e.value);
    }
    if (i >= released + kReleaseEvery)
      singles.releaseBefore(released = i);
    if (excluded && rangeLayer) // cuts its hole in whatever ranges a change set adds around it
      rangeLayer->push_back({ ip, ip, 32, true, 0, excludedBy });
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
  singles.clear();
  for (std::size_t b = 0; b < kBuckets; ++b)
    map.d_buckets[b + 1].single += map.d_buckets[b].single;
  map.d_low16.shrink_to_fit(); // a no-op unless exclusions were dropped
  map.d_singlePayload.shrink_to_fit();
}

} // namespace shun::store
