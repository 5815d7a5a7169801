// Ranges and prefixes in a change set: the overlay's IPv4 range layer (store::Ip4RangeLayer) rebuilt from
// the base's range entries and every change since, as a full load's journal pass would leave them; and
// IPv6 prefixes, changed one by one over the base's levels (store::Overlay::Ip6Change).
#include "shun/listing/ip_text.hpp"
#include "shun/zone/change_set.hpp"
#include "zone/change_set_parts.hpp"

#include <algorithm>
#include <unordered_map>
#include <vector>

namespace shun::zone {

std::optional<std::pair<store::Ip4, unsigned>> regularIp4Key(std::string_view key, store::DatasetType type)
{
  store::Ip4 first = 0;
  unsigned length = 0;
  if (key.starts_with('!') || listing::parseIp4Cidr(key, false, first, length))
    return std::nullopt;
  std::string canonical = listing::formatIp4(first);
  bool octetBlock = length == 8 || length == 16 || length == 24;
  if (length < 32)
    canonical += "/" + std::to_string(length);
  if (key != canonical || (length < 32 && type == store::DatasetType::Ip4Set && !octetBlock))
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

namespace {

using store::Overlay;

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

} // namespace

std::shared_ptr<const store::Ip4RangeLayer> rebuildRangeLayer(const store::Dataset& base,
    const store::Ip4RangeLayer* previous, const std::set<std::pair<store::Ip4, store::Ip4>>& erased,
    const store::OverlayPart& part)
{
  auto layer = std::make_shared<store::Ip4RangeLayer>();
  store::Dataset& tables = layer->tables;
  tables.type = base.type;
  tables.ttl = base.ttl; // the answers' TTLs are the dataset's
  tables.timestampExpires = base.timestampExpires;
  const store::Dataset& source = previous ? previous->tables : base;
  std::span<const store::Ip4Entry> before = previous ? previous->entries : base.ip4RangeEntries;
  std::uint32_t nextOrigin = previous ? previous->nextOrigin : 0;
  layer->entries.reserve(before.size() + part.tables.ip4RangeEntries.size());
  ValueAdopter fromSource(source, tables), fromPart(part.tables, tables);
  // The entries a journal key names are gone (the key's last record decides); the others stay.
  for (const store::Ip4Entry& entry : before) {
    if (!previous)
      nextOrigin = std::max(nextOrigin, entry.origin + 1);
    if (erased.count({ entry.first, entry.last }))
      continue;
    layer->entries.push_back(entry);
    if (!entry.exclusion)
      layer->entries.back().value = fromSource(entry.value);
  }
  // This change set's ranges come after every earlier line, in their own order; merged in by start.
  std::vector<store::Ip4Entry> added = part.tables.ip4RangeEntries;
  std::vector<std::uint32_t> origins;
  for (const store::Ip4Entry& entry : added)
    origins.push_back(entry.origin);
  std::sort(origins.begin(), origins.end());
  origins.erase(std::unique(origins.begin(), origins.end()), origins.end());
  for (store::Ip4Entry& entry : added) {
    auto rank = std::lower_bound(origins.begin(), origins.end(), entry.origin) - origins.begin();
    entry.origin = nextOrigin + static_cast<std::uint32_t>(rank);
    if (!entry.exclusion)
      entry.value = fromPart(entry.value);
  }
  layer->nextOrigin = nextOrigin + static_cast<std::uint32_t>(origins.size());
  std::size_t kept = layer->entries.size();
  layer->entries.insert(layer->entries.end(), added.begin(), added.end());
  std::inplace_merge(layer->entries.begin(), layer->entries.begin() + static_cast<std::ptrdiff_t>(kept),
      layer->entries.end(), store::startsBefore);
  store::Ip4MapBuilder builder(base.type == store::DatasetType::Ip4Set ? store::Overlap::UnionPerLevel
                                                                       : store::Overlap::LongestPrefix);
  for (const store::Ip4Entry& e : layer->entries)
    builder.add(e.first, e.last, e.priority, e.value, e.exclusion, e.origin);
  std::vector<std::uint32_t> dropped; // reported when their lines were loaded
  tables.ip4 = builder.build(tables.sets, dropped);
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
