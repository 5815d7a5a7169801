#include "ip4_singles.hpp"
#include "page_array.hpp"
#include "range_sweep.hpp"
#include "shun/store/ip_map.hpp"

#include <algorithm>
#include <cstring>
#include <memory>
#include <optional>
#include <utility>

namespace shun::store {
namespace {

constexpr std::size_t kReleaseEvery = 1u << 16; // items copied between two hand-backs of their pages

// Fills count items from first with value by doubling copies: a few memcpy calls however long the run
// (a loop would pay a sanitizer check per item in the fuzz build, where the gaps dominated a load).
template <typename T> void fillCopies(T* first, std::size_t count, const T& value)
{
  if (count == 0)
    return;
  first[0] = value;
  for (std::size_t done = 1; done < count;) {
    std::size_t n = std::min(done, count - done);
    std::memcpy(first + done, first, n * sizeof(T));
    done += n;
  }
}

// Records that the items of block start at index, unless an earlier item of the block did.
void noteBlock(
    std::vector<std::pair<std::uint32_t, std::uint32_t>>& starts, std::uint32_t block, std::size_t index)
{
  if (starts.empty() || starts.back().first != block)
    starts.emplace_back(block, static_cast<std::uint32_t>(index));
}

// The excluded single addresses as a range layer holds them, by address: one entry an address, with the
// origin of the exclusion that decides there (LongestPrefix: only the first entry of an address counts).
std::vector<Ip4Entry> excludedSingles(const detail::Ip4Singles& singles, Overlap overlap)
{
  std::vector<Ip4Entry> excluded;
  for (std::size_t i = 0; i < singles.size();) {
    Ip4 ip = singles.ipAt(i);
    std::optional<std::uint32_t> excludedBy;
    for (std::size_t at = i; i < singles.size() && singles.ipAt(i) == ip; ++i)
      if (!excludedBy && (overlap == Overlap::UnionPerLevel || i == at) && singles[i].exclusion)
        excludedBy = singles[i].origin;
    if (excludedBy)
      excluded.push_back({ ip, ip, 32, true, 0, *excludedBy });
  }
  return excluded;
}

} // namespace

// Writes a range layer at its exact size while the sweep retires the builder's range entries (by start):
// each entry is copied just before its page is freed, with the excluded singles merged in, so the layer
// and the entries it copies are never both whole at the load's peak.
class Ip4MapBuilder::RangeLayerWriter {
public:
  RangeLayerWriter(std::vector<Ip4Entry>& layer, std::vector<Ip4Entry> excluded, std::size_t ranges)
      : d_layer(layer)
      , d_excluded(std::move(excluded))
  {
    d_layer.clear();
    d_layer.reserve(ranges + d_excluded.size());
  }
  void take(const detail::SweepEntry<Ip4>& e)
  {
    Ip4Entry entry { e.first, e.last, e.priority, e.exclusion, e.value, e.origin };
    for (; d_next < d_excluded.size() && startsBefore(d_excluded[d_next], entry); ++d_next)
      d_layer.push_back(d_excluded[d_next]);
    d_layer.push_back(entry);
  }
  void finish()
  {
    d_layer.insert(d_layer.end(), d_excluded.begin() + static_cast<std::ptrdiff_t>(d_next), d_excluded.end());
  }

private:
  std::vector<Ip4Entry>& d_layer;
  std::vector<Ip4Entry> d_excluded;
  std::size_t d_next = 0;
};

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
  std::optional<RangeLayerWriter> layer; // by start, as the sweep orders them: a change set merges its own in
  if (rangeLayer)
    layer.emplace(*rangeLayer, excludedSingles(*d_singles, d_overlap), d_ranges->size());
  // Singles first: their compact form (3 bytes an address where answers are few) replaces their 8-byte
  // records before the sweep's pieces and the range layer grow, which sets a large load's peak.
  BlockStarts singleStarts = addSingles(map, sets, droppedOrigins);
  BlockStarts rangeStarts = addRanges(map, sets, droppedOrigins, layer ? &*layer : nullptr);
  // Buckets over the ranges alone first: dropLoneExclusions looks up the range each excluded single cuts.
  sizeTable(map, rangeStarts, singleStarts);
  dropLoneExclusions(map, singleStarts);
  if (map.d_blocks != 0)
    layOutBuckets(map, rangeStarts, singleStarts); // then over both
  return map;
}

// The table spans the blocks from the first to the last holding an entry (singles are sorted by now): a map
// whose every entry is a range exclusion with nothing to cut a hole in gets none.
void Ip4MapBuilder::sizeTable(Ip4Map& map, const BlockStarts& ranges, const BlockStarts& singles)
{
  std::uint32_t firstBlock = ~std::uint32_t {}, lastBlock = 0;
  for (const BlockStarts* starts : { &ranges, &singles })
    if (!starts->empty()) {
      firstBlock = std::min(firstBlock, starts->front().first);
      lastBlock = std::max(lastBlock, starts->back().first);
    }
  if (firstBlock > lastBlock)
    return;
  map.d_firstBlock = firstBlock;
  map.d_blocks = lastBlock - firstBlock + 1;
  layOutBuckets(map, ranges, {});
}

// Every block's Bucket holds where the first entry at or after that block starts, so between two blocks
// holding entries the Buckets are all the same: each run is filled at once.
void Ip4MapBuilder::layOutBuckets(Ip4Map& map, const BlockStarts& ranges, const BlockStarts& singles)
{
  // Not value-initialized: every Bucket is written below (a zero-filling loop costs a sanitizer check per
  // Bucket in the fuzz build).
  if (!map.d_buckets)
    map.d_buckets = std::make_unique_for_overwrite<Ip4Map::Bucket[]>(std::size_t { map.d_blocks } + 1);
  Ip4Map::Bucket* buckets = map.d_buckets.get();
  auto singlesEnd = static_cast<std::uint32_t>(map.d_low16.size());
  auto rangesEnd = static_cast<std::uint32_t>(map.d_ranges.size());
  constexpr std::uint32_t kNone = ~std::uint32_t {};
  std::uint32_t at = 0; // the Buckets before it are written
  std::size_t r = 0, s = 0;
  while (r < ranges.size() || s < singles.size()) {
    std::uint32_t block
        = std::min(r < ranges.size() ? ranges[r].first : kNone, s < singles.size() ? singles[s].first : kNone)
        - map.d_firstBlock;
    Ip4Map::Bucket next { s < singles.size() ? singles[s].second : singlesEnd,
      r < ranges.size() ? ranges[r].second : rangesEnd };
    fillCopies(buckets + at, block + 1 - at, next);
    at = block + 1;
    if (r < ranges.size() && ranges[r].first - map.d_firstBlock == block)
      ++r;
    if (s < singles.size() && singles[s].first - map.d_firstBlock == block)
      ++s;
  }
  fillCopies(buckets + at, map.d_blocks + 1 - at, Ip4Map::Bucket { singlesEnd, rangesEnd });
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

Ip4MapBuilder::BlockStarts Ip4MapBuilder::addRanges(
    Ip4Map& map, ValueSets& sets, std::vector<std::uint32_t>& droppedOrigins, RangeLayerWriter* layer)
{
  // Cut every segment at /16 boundaries so each piece lives in one bucket (a /8 becomes 256 pieces;
  // ranges are the rare entries of a DNSBL). Segments come by address.
  BlockStarts starts;
  detail::PageArray<Ip4Map::RangePiece> pieces;
  auto addSegment = [&](const detail::Segment<Ip4>& segment) {
    for (std::uint64_t start = segment.first; start <= segment.last;) {
      std::uint64_t end = std::min<std::uint64_t>(start | 0xffff, segment.last);
      noteBlock(starts, static_cast<std::uint32_t>(start >> 16), pieces.size());
      pieces.pushBack(
          { static_cast<std::uint16_t>(start), static_cast<std::uint16_t>(end), segment.payload });
      start = end + 1;
    }
  };
  // The entries swept past give their memory back while the pieces grow (copied to the layer first).
  std::size_t copied = 0;
  auto copyBefore = [&](std::size_t end) {
    for (; layer && copied < end; ++copied)
      layer->take((*d_ranges)[copied]);
  };
  detail::sweepRanges<Ip4>(
      d_ranges->items(), d_overlap, sets, droppedOrigins, addSegment, [&](std::size_t retired) {
        copyBefore(retired);
        d_ranges->releaseBefore(retired);
      });
  copyBefore(d_ranges->size());
  if (layer)
    layer->finish();
  d_ranges->clear();
  map.d_ranges.reserve(pieces.size()); // exactly: no growing copies, nothing to shrink
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    map.d_ranges.push_back(pieces[i]);
    if (i % kReleaseEvery == 0)
      pieces.releaseBefore(i);
  }
  return starts;
}

Ip4MapBuilder::BlockStarts Ip4MapBuilder::addSingles(
    Ip4Map& map, ValueSets& sets, std::vector<std::uint32_t>& droppedOrigins)
{
  BlockStarts starts;
  detail::Ip4Singles& singles = *d_singles;
  std::size_t addresses = singles.distinctAddresses();
  map.d_low16.reserve(addresses);
  map.d_singlePayload.reserve(addresses);
  std::vector<std::uint32_t> setOfValue; // ValueId -> 1 + the set holding just that value (0: none yet)
  std::vector<ValueId> values;
  for (std::size_t i = 0, released = 0; i < singles.size();) {
    Ip4 ip = singles.ipAt(i);
    bool excluded = false;
    values.clear();
    for (std::size_t at = i; i < singles.size() && singles.ipAt(i) == ip; ++i) {
      auto e = singles[i];
      if (d_overlap == Overlap::LongestPrefix && i > at) {
        droppedOrigins.push_back(e.origin); // rbldnsd's tries keep the first of identical prefixes
        continue;
      }
      excluded |= e.exclusion;
      if (!e.exclusion && std::find(values.begin(), values.end(), e.value) == values.end())
        values.push_back(e.value);
    }
    if (i >= released + kReleaseEvery)
      singles.releaseBefore(released = i);
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
    noteBlock(starts, ip >> 16, map.d_low16.size());
    map.d_low16.push_back(static_cast<std::uint16_t>(ip));
    map.d_singlePayload.pushBack(payload);
  }
  singles.clear();
  return starts;
}

// Drops the excluded single addresses with no range around them to cut a hole in (once the ranges are in
// the table), keeping the others in order.
void Ip4MapBuilder::dropLoneExclusions(Ip4Map& map, BlockStarts& starts)
{
  BlockStarts kept;
  std::size_t out = 0;
  for (std::size_t b = 0; b < starts.size(); ++b) {
    std::size_t end = b + 1 < starts.size() ? starts[b + 1].second : map.d_low16.size();
    for (std::size_t i = starts[b].second; i < end; ++i) {
      Ip4 ip = starts[b].first << 16 | map.d_low16[i];
      if (map.d_singlePayload[i] == kNoPayload && map.findRange(ip) == kNoPayload)
        continue;
      noteBlock(kept, starts[b].first, out);
      map.d_low16[out] = map.d_low16[i];
      map.d_singlePayload.copy(i, out);
      ++out;
    }
  }
  map.d_low16.resize(out);
  map.d_singlePayload.truncate(out);
  map.d_low16.shrink_to_fit(); // a no-op unless exclusions were dropped
  map.d_singlePayload.shrinkToFit();
  starts = std::move(kept);
}

} // namespace shun::store
