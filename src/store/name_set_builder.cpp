#include "name_set_format.hpp"
#include "name_set_runs.hpp"
#include "radix_sort.hpp"
#include "shun/store/name_set.hpp"

#include <algorithm>
#include <utility>

namespace shun::store {
namespace {

using detail::kExact;
using detail::kExclusion;
using detail::kSubdomains;
using detail::RunReader;
using detail::RunTournament;

// A pending record is [key length][RecordFlags][ValueId, 4 bytes][key]; a run of them is sorted once it
// holds this many bytes (small enough for the cache, large enough to keep the runs few).
constexpr std::size_t kRunBytes = std::size_t { 512 } << 10;
constexpr std::size_t kPendingHeader = 6;
constexpr std::size_t kPrefetchAhead = 8;

struct Pending {
  std::string_view key;
  std::uint8_t flags;
  ValueId value;
};

Pending pendingAt(const std::vector<char>& pending, std::uint32_t offset)
{
  const char* record = pending.data() + offset;
  ValueId value;
  std::memcpy(&value, record + 2, sizeof value);
  return { { record + kPendingHeader, static_cast<unsigned char>(record[0]) },
    static_cast<std::uint8_t>(record[1]), value };
}

/// 12 bytes, not 16: the items and the radix sort's scratch copy are a quarter of a load's transient memory.
struct __attribute__((packed)) SortItem {
  std::uint64_t prefix; ///< the key's indexPrefix: its first 10 bytes in 60 bits, ordered as the keys
  std::uint32_t offset; ///< the record in the pending buffer
};
static_assert(sizeof(SortItem) == 12);

} // namespace

/// Sorted, front-coded records: [key, its final '\0' implied][RecordFlags][ValueId varint if kValueFollows].
/// A record without a value has the previous record's (0 at the start); an exclusion's value is 0.
struct NameSetBuilder::Run {
  detail::PageArray<char> bytes;
  std::size_t count = 0;
  ValueId last = 0;

  void put(std::string_view previous, std::string_view key, std::uint8_t flags, ValueId value)
  {
    // A repeated key writes no bytes, the apex's neither.
    detail::putKeyShared(bytes, key, detail::commonPrefix(previous, key), true);
    bool follows = value != last;
    bytes.pushBack(static_cast<char>(flags | (follows ? detail::kValueFollows : 0)));
    if (follows)
      detail::putVarint(bytes, last = value);
    ++count;
  }
};

namespace {

/// One shape of one name while its records are merged.
struct ShapeGroup {
  bool present = false;
  bool excluded = false;
  std::vector<ValueId> values;
  void add(bool exclusion, ValueId value)
  {
    present = true;
    excluded |= exclusion;
    if (!exclusion && std::find(values.begin(), values.end(), value) == values.end())
      values.push_back(value);
  }
  /// Empties the group for the next name, keeping the vector's memory (no allocation per name).
  void reset()
  {
    present = excluded = false;
    values.clear();
  }
};

} // namespace

/// Appends names, in order, to a NameSet's blocks.
class NameSetWriter {
public:
  /// wildcards: at least the number of names that will have Subdomains (sizes the filter, 8 bits each);
  /// names: at least the number of names (sizes the block index, so that it is not copied as it grows).
  NameSetWriter(NameSet& set, std::size_t wildcards, std::size_t names)
      : d_set(set)
  {
    // An upper bound, kept: the pages it does not fill are never touched, and a shrink would copy.
    d_set.d_blocks.reserve(names / NameSet::kBlockKeys + 1);
    d_set.d_data = std::make_unique<detail::PageArray<char>>();
    std::size_t words = 1;
    while (words * 64 < wildcards * 8)
      words *= 2;
    d_set.d_wildcardFilter.assign(words, 0);
  }
  /// shared: how many first bytes key has in common with the key added before it.
  void add(std::string_view key, std::size_t shared, const NameSet::Shapes& shapes)
  {
    detail::PageArray<char>& data = *d_set.d_data;
    if (d_inBlock == NameSet::kBlockKeys || d_set.d_blocks.empty()) {
      std::uint64_t prefix = detail::indexPrefix(key);
      d_set.d_blocks.push_back({ static_cast<std::uint32_t>(prefix >> 32), static_cast<std::uint32_t>(prefix),
          static_cast<std::uint32_t>(data.size()) });
      d_inBlock = 0;
      d_last = 0;
      shared = 0;
    }
    detail::putKeyShared(data, key, shared, true);
    std::uint8_t flags = shapes.flags;
    bool exactNew
        = (flags & detail::kHasExact) && !(flags & detail::kExactExcluded) && shapes.exactPayload != d_last;
    std::uint32_t last = exactNew ? shapes.exactPayload : d_last;
    bool subNew = (flags & detail::kHasSubdomains) && !(flags & detail::kSubdomainsExcluded)
        && shapes.subdomainsPayload != last;
    flags |= (exactNew ? detail::kExactPayloadFollows : 0) | (subNew ? detail::kSubdomainsPayloadFollows : 0);
    data.pushBack(static_cast<char>(flags));
    if (exactNew)
      detail::putVarint(data, d_last = shapes.exactPayload);
    if (subNew)
      detail::putVarint(data, d_last = shapes.subdomainsPayload);
    if ((flags & detail::kHasSubdomains) && !d_set.d_wildcardFilter.empty()) {
      // The filter's word is a cache miss: it is asked for now and set at the next wildcard (or finish).
      std::uint64_t hash = detail::keyHash(key);
      __builtin_prefetch(&d_set.d_wildcardFilter[filterWord(hash)], 1);
      flushFilter();
      d_filterHash = hash;
      d_filterPending = true;
    }
    ++d_inBlock;
    d_set.d_entries += ((flags & detail::kHasExact) ? 1 : 0) + ((flags & detail::kHasSubdomains) ? 1 : 0);
  }
  void finish()
  {
    flushFilter();
    d_set.d_bytes = d_set.d_data->begin();
    const NameSet::BlockEntry* entries = d_set.d_blocks.data();
    detail::buildIndexSummary(
        d_set.d_blocks.size(), [entries](std::size_t i) { return entries[i].prefix(); },
        d_set.d_indexSummary);
  }

private:
  std::size_t filterWord(std::uint64_t hash) const
  {
    return (hash >> 20) & (d_set.d_wildcardFilter.size() - 1);
  }
  /// Sets the bits of the wildcard last added.
  void flushFilter()
  {
    if (d_filterPending)
      d_set.d_wildcardFilter[filterWord(d_filterHash)] |= detail::filterBits(d_filterHash);
    d_filterPending = false;
  }
  NameSet& d_set;
  bool d_filterPending = false;
  std::uint64_t d_filterHash = 0;
  std::size_t d_inBlock = 0;
  std::uint32_t d_last = 0;
};

namespace {

/// Gathers the records of one name from every run and writes the name once, with one payload per shape.
/// The bytes a name shares with the one before it are found once, for both the test of a new name and
/// the block's front coding, and only the bytes after them are copied.
class NameMerge {
public:
  NameMerge(ValueSets& sets, NameSetWriter& writer)
      : d_sets(sets)
      , d_writer(writer)
  {
  }
  void add(std::string_view key, std::uint8_t flags, ValueId value)
  {
    std::size_t shared = detail::commonPrefix(key, { d_key, d_length });
    if (shared != key.size() || shared != d_length || (!d_exact.present && !d_subdomains.present)) {
      finish();
      detail::copyShort(d_key + shared, key.data() + shared, key.size() - shared);
      d_length = key.size();
      d_shared = shared;
    }
    if (flags & kExact)
      d_exact.add(flags & kExclusion, value);
    if (flags & kSubdomains)
      d_subdomains.add(flags & kExclusion, value);
  }
  /// Writes the name gathered so far.
  void finish()
  {
    if (!d_exact.present && !d_subdomains.present)
      return;
    NameSet::Shapes shapes;
    shapes.flags = static_cast<std::uint8_t>((d_exact.present ? detail::kHasExact : 0)
        | (d_subdomains.present ? detail::kHasSubdomains : 0)
        | (d_exact.excluded ? detail::kExactExcluded : 0)
        | (d_subdomains.excluded ? detail::kSubdomainsExcluded : 0));
    shapes.exactPayload = payload(d_exact);
    shapes.subdomainsPayload = payload(d_subdomains);
    d_writer.add({ d_key, d_length }, d_shared, shapes);
    d_exact.reset();
    d_subdomains.reset();
  }

private:
  // Most names share one value set: the last one interned is remembered.
  std::uint32_t payload(ShapeGroup& group)
  {
    if (!group.present || group.excluded)
      return NameSet::kNoPayloadName;
    if (group.values != d_lastValues) {
      d_lastPayload = d_sets.intern(group.values);
      d_lastValues.swap(group.values);
    }
    return d_lastPayload;
  }
  ValueSets& d_sets;
  NameSetWriter& d_writer;
  char d_key[detail::kMaxNameKey] = {}; ///< the name gathered, sharing d_shared bytes with the last written
  std::size_t d_length = 0;
  std::size_t d_shared = 0;
  ShapeGroup d_exact, d_subdomains;
  std::vector<ValueId> d_lastValues;
  std::uint32_t d_lastPayload = 0;
};

} // namespace

NameSetBuilder::NameSetBuilder() = default;
NameSetBuilder::~NameSetBuilder() = default;

void NameSetBuilder::add(std::string_view wireName, NameMatch match, ValueId value, bool exclusion)
{
  char key[detail::kMaxNameKey];
  std::size_t length = detail::reversedKey(wireName, key);
  if (length == detail::kBadName)
    return;
  addKey({ key, length }, match == NameMatch::Exact, match == NameMatch::Subdomains, value, exclusion);
}

void NameSetBuilder::addKey(
    std::string_view keyView, bool exact, bool subdomains, ValueId value, bool exclusion)
{
  const char* key = keyView.data();
  std::size_t length = keyView.size();
  auto flags = static_cast<std::uint8_t>(
      (exact ? kExact : 0) | (subdomains ? kSubdomains : 0) | (exclusion ? kExclusion : 0));
  d_wildcardsAdded += subdomains;
  value = exclusion ? 0 : value;
  d_added += std::size_t { exact } + std::size_t { subdomains };
  // ".name" arrives as two entries in a row: they share one record.
  if (!d_pendingOffsets.empty()) {
    Pending last = pendingAt(d_pending, d_pendingOffsets.back());
    if (last.key == keyView && last.value == value && (last.flags & kExclusion) == (flags & kExclusion)) {
      d_pending[d_pendingOffsets.back() + 1] = static_cast<char>(last.flags | flags);
      return;
    }
  }
  if (d_pending.size() + kPendingHeader + length > kRunBytes)
    sortRun();
  if (d_pending.capacity() < kRunBytes)
    d_pending.reserve(kRunBytes);
  d_pendingOffsets.push_back(static_cast<std::uint32_t>(d_pending.size()));
  char header[kPendingHeader] = { static_cast<char>(length), static_cast<char>(flags) };
  std::memcpy(header + 2, &value, sizeof value);
  d_pending.insert(d_pending.end(), header, header + kPendingHeader);
  d_pending.insert(d_pending.end(), key, key + length);
}

void NameSetBuilder::sortRun()
{
  std::vector<SortItem> items;
  items.reserve(d_pendingOffsets.size());
  for (std::uint32_t offset : d_pendingOffsets)
    items.push_back({ detail::indexPrefix(pendingAt(d_pending, offset).key), offset });
  std::vector<SortItem> scratch(items.size()); // 10 bits a pass: six over indexPrefix's 60 bits
  auto prefixOf = [](const SortItem& item) { return item.prefix; };
  if (detail::radixSort<10>(std::span(items), std::span(scratch), 0, 60, prefixOf).data() != items.data())
    items.swap(scratch);
  scratch = {};
  // Names whose prefixes tie are ordered by the whole key, then by arrival (file order).
  for (std::size_t begin = 0; begin < items.size();) {
    std::size_t end = begin + 1;
    while (end < items.size() && items[end].prefix == items[begin].prefix)
      ++end;
    if (end - begin > 1)
      std::sort(items.begin() + static_cast<std::ptrdiff_t>(begin),
          items.begin() + static_cast<std::ptrdiff_t>(end), [this](const SortItem& a, const SortItem& b) {
            int order = pendingAt(d_pending, a.offset).key.compare(pendingAt(d_pending, b.offset).key);
            return order != 0 ? order < 0 : a.offset < b.offset;
          });
    begin = end;
  }
  auto run = std::make_unique<Run>();
  std::string_view previous;
  for (std::size_t i = 0; i < items.size(); ++i) {
    // The records are read in key order, all over the buffer: ask for one a few items ahead.
    if (i + kPrefetchAhead < items.size())
      __builtin_prefetch(d_pending.data() + items[i + kPrefetchAhead].offset);
    Pending record = pendingAt(d_pending, items[i].offset);
    run->put(previous, record.key, record.flags, record.value);
    previous = record.key;
  }
  d_runs.push_back(std::move(run));
  d_pending.clear();
  d_pendingOffsets.clear();
}

void NameSetBuilder::eraseIf(const std::function<bool(const WireName&, NameMatch)>& matches)
{
  if (!d_pendingOffsets.empty())
    sortRun();
  for (auto& run : d_runs) {
    auto kept = std::make_unique<Run>();
    RunReader reader(run->bytes, run->count, 0);
    std::string previous;
    while (reader.next()) {
      std::uint8_t flags = reader.flags;
      WireName wire = detail::keyToWire(reader.key());
      for (auto [bit, match] :
          { std::pair { kExact, NameMatch::Exact }, { kSubdomains, NameMatch::Subdomains } })
        if ((flags & bit) && matches(wire, match)) {
          flags &= static_cast<std::uint8_t>(~bit);
          --d_added;
        }
      if (!(flags & (kExact | kSubdomains)))
        continue;
      kept->put(previous, reader.key(), flags, reader.value);
      previous.assign(reader.key());
    }
    run = std::move(kept);
  }
}

NameSet NameSetBuilder::build(ValueSets& sets)
{
  if (!d_pendingOffsets.empty())
    sortRun();
  std::vector<char>().swap(d_pending); // the merge's memory is the set it grows
  std::vector<std::uint32_t>().swap(d_pendingOffsets);
  std::vector<RunReader> readers;
  readers.reserve(d_runs.size());
  for (std::size_t i = 0; i < d_runs.size(); ++i)
    readers.emplace_back(d_runs[i]->bytes, d_runs[i]->count, i);
  RunTournament tournament(readers);

  NameSet set;
  std::size_t records = 0;
  for (const auto& run : d_runs)
    records += run->count;
  NameSetWriter writer(set, d_wildcardsAdded, records);
  NameMerge merge(sets, writer);
  for (RunReader* reader; (reader = tournament.front()) != nullptr; tournament.advance())
    merge.add(reader->key(), reader->flags, reader->value);
  merge.finish();
  writer.finish();
  d_runs.clear();
  d_added = 0;
  d_wildcardsAdded = 0;
  return set;
}

} // namespace shun::store
