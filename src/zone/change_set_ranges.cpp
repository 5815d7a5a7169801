// Ranges and prefixes in a change set: the overlay's IPv4 range layer (store::Ip4RangeLayer) rebuilt from
// the base's range entries and every change since, as a full load's journal pass would leave them; and
// IPv6 prefixes, changed one by one over the base's levels (store::Overlay::Ip6Change).
#include "shun/listing/ip_text.hpp"
#include "shun/store/ip4_range_layer.hpp"
#include "shun/zone/change_set.hpp"
#include "zone/change_set_parts.hpp"

#include <algorithm>
#include <iterator>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace shun::zone {

std::optional<std::pair<store::Ip4, unsigned>> regularIp4Key(std::string_view key, store::DatasetType type)
{
  store::Ip4 first = 0;
  unsigned length = 0;
  if (key.starts_with('!') || listing::parseIp4Cidr(key, false, first, length))
    return std::nullopt;
  std::string canonical = listing::formatIp4(first);
  if (length < 32)
    canonical += "/" + std::to_string(length);
  // ip4set stores a prefix of /24 or shorter as one run of octet blocks of one level, an entry like any
  // range; /25-/31 become level-32 ranges, which merge the single addresses inside them (not overlaid).
  bool levelRange = length > 24 && length < 32;
  if (key != canonical || (type == store::DatasetType::Ip4Set && levelRange))
    return std::nullopt;
  return std::pair { first, length };
}

std::optional<std::pair<store::Ip6, unsigned>> regularIp6Key(std::string_view key)
{
  listing::Ip6Prefix prefix;
  if (key.starts_with('!') || listing::parseIp6Cidr(key, false, prefix))
    return std::nullopt;
  std::string canonical = listing::formatIp6(prefix.first);
  if (prefix.length < 128)
    canonical += "/" + std::to_string(prefix.length);
  if (key != canonical)
    return std::nullopt;
  return std::pair { prefix.first, prefix.length };
}

bool hasSingleEntry(const store::Dataset& base, store::Ip4 ip)
{
  const std::vector<store::Ip4Entry>& entries = base.ip4RangeEntries;
  auto at = std::partition_point(
      entries.begin(), entries.end(), [&](const store::Ip4Entry& e) { return e.first < ip; });
  for (; at != entries.end() && at->first == ip; ++at)
    if (at->last == ip)
      return true;
  return false;
}

namespace {

using store::Overlay;
using Window = std::pair<store::Ip4, store::Ip4>;
using store::Ip4;

bool addedBefore(const store::Ip4RangeLayer::Added& a, const store::Ip4RangeLayer::Added& b)
{
  return store::startsBefore(a.entry, b.entry);
}

// The payload of exactly this prefix in map (kNoPayload: an exclusion); false if map has no such prefix.
bool exactPrefix(const store::Ip6Map& map, store::Ip6 first, unsigned length, std::uint32_t& payload)
{
  for (const store::Ip6Map::Level& level : map.levels()) {
    if (level.length != length)
      continue;
    std::size_t next = 0;
    std::size_t index = level.locate(first, next);
    if (index == static_cast<std::size_t>(-1))
      return false;
    payload = level.payload(index);
    return true;
  }
  return false;
}

bool longerFirst(const Overlay::Ip6Change& a, const Overlay::Ip6Change& b)
{
  return a.length != b.length ? a.length > b.length : a.first < b.first;
}

// Copies values out of one dataset's tables into the layer's, each once, with its listing.
class ValueAdopter {
public:
  ValueAdopter(const store::Dataset& from, store::Dataset& to)
      : d_from(from)
      , d_to(to)
  {
  }
  store::ValueId operator()(store::ValueId id)
  {
    auto [at, inserted] = d_adopted.try_emplace(id, 0);
    if (inserted) {
      store::Value value = d_from.values.value(id);
      if (value.listing != 0) {
        d_to.listings.push_back(d_from.listings.at(value.listing));
        value.listing = static_cast<std::uint32_t>(d_to.listings.size() - 1);
      }
      at->second = d_to.values.adopt(value, d_from.values.compiled(id));
    }
    return at->second;
  }

private:
  const store::Dataset& d_from;
  store::Dataset& d_to;
  std::unordered_map<store::ValueId, store::ValueId> d_adopted;
};

// The entries of the change set's keys are gone (the key's last record decides): the base's are
// marked erased, the added ones dropped. Returns the keys' ranges whose windows are rebuilt: every range,
// and a single address only where the base holds an entry of its own there (an excluded single).
std::vector<Window> eraseKeys(
    const store::Dataset& base, store::Ip4RangeLayer& layer, const std::set<Window>& erased)
{
  std::vector<Window> seeds;
  std::vector<Window> marked;
  std::merge(
      layer.erased.begin(), layer.erased.end(), erased.begin(), erased.end(), std::back_inserter(marked));
  marked.erase(std::unique(marked.begin(), marked.end()), marked.end());
  layer.erased = std::move(marked);
  std::erase_if(layer.added, [&](const store::Ip4RangeLayer::Added& a) {
    return erased.count({ a.entry.first, a.entry.last }) != 0;
  });
  for (const Window& key : erased)
    if (key.first != key.second || hasSingleEntry(base, key.first))
      seeds.push_back(key);
  return seeds;
}

// This change set's ranges come after every earlier line, in their own order: their origins follow the
// layer's, and their own ranges are windows to rebuild.
void addPartRanges(store::Ip4RangeLayer& layer, const std::shared_ptr<const store::OverlayPart>& part,
    std::vector<Window>& seeds)
{
  const std::vector<store::Ip4Entry>& entries = part->tables.ip4RangeEntries;
  std::vector<std::uint32_t> origins;
  for (const store::Ip4Entry& entry : entries)
    origins.push_back(entry.origin);
  std::sort(origins.begin(), origins.end());
  origins.erase(std::unique(origins.begin(), origins.end()), origins.end());
  std::size_t kept = layer.added.size();
  for (store::Ip4Entry entry : entries) {
    auto rank = std::lower_bound(origins.begin(), origins.end(), entry.origin) - origins.begin();
    entry.origin = layer.nextOrigin + static_cast<std::uint32_t>(rank);
    layer.added.push_back({ entry, &part->tables });
    seeds.emplace_back(entry.first, entry.last);
  }
  layer.nextOrigin += static_cast<std::uint32_t>(origins.size());
  std::sort(layer.added.begin() + static_cast<std::ptrdiff_t>(kept), layer.added.end(), addedBefore);
  std::inplace_merge(layer.added.begin(), layer.added.begin() + static_cast<std::ptrdiff_t>(kept),
      layer.added.end(), addedBefore);
  if (!entries.empty())
    layer.parts.push_back(part);
  std::unordered_set<const store::Dataset*> used;
  layer.addedSpan = 0;
  for (const auto& added : layer.added) {
    used.insert(added.tables);
    layer.addedSpan = std::max(layer.addedSpan, added.entry.last - added.entry.first);
  }
  std::erase_if(layer.parts, [&](const auto& p) { return !used.count(&p->tables); });
}

// Calls visit for every entry of the base (erased or not) and every added one that intersects [first, last].
void forEachEntryWithin(const store::Dataset& base, const store::Ip4RangeLayer& layer, Ip4 first, Ip4 last,
    const std::function<void(const store::Ip4Entry&, const store::Dataset&)>& visit)
{
  store::forEachIp4EntryWithin(base.ip4RangeEntries, base.ip4LongRanges, first, last,
      [&](const store::Ip4Entry& entry) { visit(entry, base); });
  Ip4 from = first > layer.addedSpan ? first - layer.addedSpan : 0;
  auto at = std::partition_point(layer.added.begin(), layer.added.end(),
      [&](const store::Ip4RangeLayer::Added& a) { return a.entry.first < from; });
  for (; at != layer.added.end() && at->entry.first <= last; ++at)
    if (at->entry.last >= first)
      visit(at->entry, *at->tables);
}

// Sorted, with windows that overlap or touch joined.
std::vector<Window> joined(std::vector<Window> windows)
{
  std::sort(windows.begin(), windows.end());
  std::vector<Window> out;
  for (const Window& window : windows)
    if (!out.empty() && std::uint64_t { out.back().second } + 1 >= window.first)
      out.back().second = std::max(out.back().second, window.second);
    else
      out.push_back(window);
  return out;
}

// Widens windows until every entry (the base's, erased or not, and the added ones) that intersects or
// touches a window lies inside it: no range of the base's map nor of a full load's crosses a window's edge,
// nor joins one inside it (equal neighbours are joined by the walks), so inside a window the entries there
// decide alone, and outside every window the base's ranges stand.
std::vector<Window> closedWindows(
    const store::Dataset& base, const store::Ip4RangeLayer& layer, std::vector<Window> windows)
{
  for (bool grew = true; grew;) {
    grew = false;
    windows = joined(std::move(windows));
    for (Window& window : windows) {
      Ip4 first = window.first > 0 ? window.first - 1 : 0;
      Ip4 last = window.second < ~Ip4 {} ? window.second + 1 : window.second;
      forEachEntryWithin(base, layer, first, last, [&](const store::Ip4Entry& entry, const store::Dataset&) {
        grew |= entry.first < window.first || entry.last > window.second;
        window.first = std::min(window.first, entry.first);
        window.second = std::max(window.second, entry.last);
      });
    }
  }
  return windows;
}

// The map of the windows' entries: the base's that no key erased and the added ones, values adopted.
void buildWindows(const store::Dataset& base, store::Ip4RangeLayer& layer)
{
  store::Dataset& tables = layer.tables;
  tables.type = base.type;
  tables.ttl = base.ttl; // the answers' TTLs are the dataset's
  tables.timestampExpires = base.timestampExpires;
  store::Ip4MapBuilder builder(base.type == store::DatasetType::Ip4Set ? store::Overlap::UnionPerLevel
                                                                       : store::Overlap::LongestPrefix);
  std::unordered_map<const store::Dataset*, ValueAdopter> adopters;
  for (const Window& window : layer.windows)
    forEachEntryWithin(
        base, layer, window.first, window.second, [&](const store::Ip4Entry& e, const store::Dataset& from) {
          if (&from == &base
              && std::binary_search(layer.erased.begin(), layer.erased.end(), Window { e.first, e.last }))
            return;
          store::ValueId value = e.value;
          if (!e.exclusion)
            value = adopters.try_emplace(&from, from, tables).first->second(value);
          builder.add(e.first, e.last, e.priority, value, e.exclusion, e.origin);
        });
  std::vector<std::uint32_t> dropped; // reported when their lines were loaded
  tables.ip4 = builder.build(tables.sets, dropped);
}
} // namespace

std::shared_ptr<const store::Ip4RangeLayer> rebuildRangeLayer(const store::Dataset& base,
    const store::Ip4RangeLayer* previous, const std::set<Window>& erased,
    std::shared_ptr<const store::OverlayPart> part)
{
  auto layer = std::make_shared<store::Ip4RangeLayer>();
  if (previous) {
    layer->windows = previous->windows;
    layer->erased = previous->erased;
    layer->added = previous->added;
    layer->parts = previous->parts;
    layer->nextOrigin = previous->nextOrigin;
  }
  std::vector<Window> seeds = eraseKeys(base, *layer, erased);
  addPartRanges(*layer, part, seeds);
  seeds.insert(seeds.end(), layer->windows.begin(), layer->windows.end());
  layer->windows = closedWindows(base, *layer, std::move(seeds));
  buildWindows(base, *layer);
  return layer;
}

std::shared_ptr<const store::Dataset> applyIp6(const std::shared_ptr<const store::Dataset>& current,
    const store::Dataset& base, const std::vector<listing::JournalRecord>& records,
    const LoadOptions& options, std::vector<Diagnostic>& diagnostics)
{
  std::unordered_map<std::string_view, std::size_t> last; // the record that decides each key
  std::vector<Overlay::Ip6Change> added;
  for (std::size_t i = 0; i < records.size(); ++i) {
    auto key = regularIp6Key(records[i].key);
    if (!key
        || (records[i].kind == listing::JournalRecord::Kind::Add
            && !lineListsKey(records[i].entryLine, records[i].key)))
      return nullptr; // another spelling or an exclusion: its prefix does not name its key alone
    if (last.insert_or_assign(records[i].key, i).second)
      added.push_back({ key->first, key->second, {} });
  }
  // Entries of the base's journal are found by their prefix only where that names their key.
  if (base.lineContext->irregularIpKeys || added.size() > kMaxOverlayChanges)
    return nullptr;
  auto part = parseChangeSetPart(base, records, options, diagnostics,
      [&](const listing::JournalRecord& record, std::size_t i) { return last.at(record.key) == i; });
  for (Overlay::Ip6Change& change : added) { // none: removed, or a line the loader rejected
    change.hit = { &part->tables, store::kNoPayload };
    exactPrefix(part->tables.ip6, change.first, change.length, change.hit.payload);
  }
  std::sort(added.begin(), added.end(), longerFirst);
  std::span<const Overlay::Ip6Change> before
      = current->overlay ? current->overlay->ip6Changes() : std::span<const Overlay::Ip6Change> {};
  std::vector<Overlay::Ip6Change> changes;
  changes.reserve(before.size() + added.size());
  for (std::size_t i = 0, j = 0; i < before.size() || j < added.size();) {
    if (j == added.size() || (i < before.size() && longerFirst(before[i], added[j])))
      changes.push_back(before[i++]);
    else {
      bool same = i < before.size() && !longerFirst(added[j], before[i]);
      i += same ? 1 : 0;
      changes.push_back(added[j++]);
    }
  }
  if (changes.size() > kMaxOverlayChanges)
    return nullptr;
  return overlaid(current, base, std::move(part), {}, {}, nullptr, std::move(changes));
}

} // namespace shun::zone
