#include "shun/zone/change_set.hpp"

#include "shun/listing/ip_text.hpp"
#include "shun/store/overlay.hpp"
#include "zone/change_set_parts.hpp"
#include "zone/dataset_loader.hpp"
#include "zone/text.hpp"

#include <algorithm>
#include <cstdio>
#include <sys/stat.h>
#include <unordered_map>
#include <unordered_set>

namespace shun::zone {
namespace {

using store::DatasetType;
using store::Ip4;
using store::Overlay;

bool ip4Type(DatasetType type)
{
  return type == DatasetType::Ip4Set || type == DatasetType::Ip4Trie || type == DatasetType::Ip4TSet;
}

bool overlayable(const store::Dataset& base)
{
  return base.lineContext && base.files.size() == 1 && !base.overlay
      && (ip4Type(base.type) || base.type == DatasetType::Ip6Trie || base.type == DatasetType::Ip6TSet
          || base.type == DatasetType::DnSet);
}

std::int64_t modificationTime(const std::string& file)
{
  struct stat info { };
  return ::stat(file.c_str(), &info) == 0 ? static_cast<std::int64_t>(info.st_mtime) : 0;
}

// The new dataset's header: everything but the data, as the base has it.
std::shared_ptr<store::Dataset> headerOf(const store::Dataset& base)
{
  auto next = std::make_shared<store::Dataset>();
  next->type = base.type;
  next->spec = base.spec;
  next->files = base.files;
  next->newestMtime = std::max(base.newestMtime, modificationTime(base.files[0] + ".journal"));
  next->ttl = base.ttl;
  next->soa = base.soa;
  next->ns = base.ns;
  next->timestampExpires = base.timestampExpires;
  next->lineContext = base.lineContext;
  return next;
}

// What a change set does to an IPv4 dataset: the record that decides each key (the journal's last one),
// the addresses of its single keys and the ranges of all its keys.
struct Ip4Keys {
  std::unordered_map<std::string_view, std::size_t> last;
  std::unordered_map<Ip4, std::size_t> singles; // address -> deciding record
  std::set<std::pair<Ip4, Ip4>> erased;
  bool ranges = false; // a key of a range
};

// False if a record is not one an overlay answers exactly: a key in another spelling than shunctl's (its
// range would not name it), an exclusion, or an ip4set address a level-32 range covers.
bool classifyIp4(
    const store::Dataset& base, const std::vector<listing::JournalRecord>& records, Ip4Keys& keys)
{
  for (std::size_t i = 0; i < records.size(); ++i) {
    auto key = regularIp4Key(records[i].key, base.type);
    if (!key
        || (records[i].kind == listing::JournalRecord::Kind::Add
            && !lineListsKey(records[i].entryLine, records[i].key)))
      return false;
    auto [first, length] = *key;
    // ip4set merges a single into the level-32 ranges around it: not an answer apart from them.
    if (length == 32 && base.type == DatasetType::Ip4Set && base.ip4.level32RangeCovers(first))
      return false;
    keys.last[records[i].key] = i;
    if (length == 32)
      keys.singles[first] = i;
    keys.ranges |= length < 32;
    keys.erased.emplace(first, listing::ip4Last(first, length));
  }
  return true;
}

// True if the change set touches the ranges: a range key, or a single address where the base's ranges
// hold an entry of their own (an excluded single there, say).
bool touchesRanges(const store::Dataset& base, const Ip4Keys& keys)
{
  return keys.ranges || std::any_of(keys.singles.begin(), keys.singles.end(), [&](const auto& single) {
    return hasSingleEntry(base, single.first);
  });
}

// The overlay's address changes with this change set's laid over them: both lists sorted, merged in
// one pass (a change set costs the overlay's size in copied words, never a value copied again).
std::vector<Overlay::Ip4Change> mergeIp4(
    std::span<const Overlay::Ip4Change> before, std::vector<Overlay::Ip4Change> added)
{
  std::sort(added.begin(), added.end(), [](const auto& a, const auto& b) { return a.ip < b.ip; });
  std::vector<Overlay::Ip4Change> merged;
  merged.reserve(before.size() + added.size());
  std::size_t i = 0, j = 0;
  while (i < before.size() || j < added.size()) {
    if (j == added.size() || (i < before.size() && before[i].ip < added[j].ip))
      merged.push_back(before[i++]);
    else {
      i += i < before.size() && before[i].ip == added[j].ip ? 1 : 0;
      merged.push_back(added[j++]);
    }
  }
  return merged;
}

std::shared_ptr<const store::Dataset> applyIp4(const std::shared_ptr<const store::Dataset>& current,
    const store::Dataset& base, const std::vector<listing::JournalRecord>& records,
    const LoadOptions& options, std::vector<Diagnostic>& diagnostics)
{
  Ip4Keys keys;
  if (!classifyIp4(base, records, keys) || keys.singles.size() > kMaxOverlayChanges)
    return nullptr; // the second: too many before parsing them
  const store::Ip4RangeLayer* layer = current->overlay ? current->overlay->ranges().get() : nullptr;
  bool rebuild = touchesRanges(base, keys);
  // Entries of the base's journal are found by their range only where that names their key.
  if (rebuild && base.lineContext->irregularIpKeys)
    return nullptr;
  auto part = parseChangeSetPart(base, records, options, diagnostics,
      [&](const listing::JournalRecord& record, std::size_t i) { return keys.last.at(record.key) == i; });
  std::vector<Overlay::Ip4Change> added;
  added.reserve(keys.singles.size());
  for (const auto& [ip, index] : keys.singles) { // none: removed, or a line the loader rejected
    std::uint32_t payload = store::kNoPayload;
    part->tables.ip4.findSingle(ip, payload);
    added.push_back({ ip, { &part->tables, payload } });
  }
  auto changes
      = mergeIp4(current->overlay ? current->overlay->ip4Changes() : std::span<const Overlay::Ip4Change> {},
          std::move(added));
  if (changes.size() > kMaxOverlayChanges)
    return nullptr;
  std::shared_ptr<const store::Ip4RangeLayer> ranges = rebuild
      ? rebuildRangeLayer(base, layer, keys.erased, part)
      : (current->overlay ? current->overlay->ranges() : nullptr);
  return overlaid(current, base, std::move(part), std::move(changes), {}, std::move(ranges));
}

// The overlay's parts that its entries still point at, and the new one: a part whose every entry was
// replaced since is dropped once they are many (a scan of the entries, now and then).
std::vector<std::shared_ptr<const store::OverlayPart>> liveParts(const store::Dataset& current,
    std::shared_ptr<const store::OverlayPart> part, const std::vector<Overlay::Ip4Change>& ip4,
    const std::vector<Overlay::NameChange>& names, const std::vector<Overlay::Ip6Change>& ip6)
{
  std::vector<std::shared_ptr<const store::OverlayPart>> parts;
  if (current.overlay)
    parts = current.overlay->parts();
  parts.push_back(std::move(part));
  if (parts.size() <= 2 * (ip4.size() + names.size() + ip6.size()) + 16)
    return parts;
  std::unordered_set<const void*> used;
  for (const auto& change : ip4)
    used.insert(change.hit.tables);
  for (const auto& change : ip6)
    used.insert(change.hit.tables);
  for (const auto& change : names) {
    used.insert(change.keyPart);
    used.insert(change.exact.hit.tables);
    used.insert(change.subdomains.hit.tables);
  }
  std::erase_if(parts, [&](const auto& p) { return !used.count(p.get()) && !used.count(&p->tables); });
  return parts;
}

} // namespace

std::shared_ptr<const store::Dataset> overlaid(const std::shared_ptr<const store::Dataset>& current,
    const store::Dataset& base, std::shared_ptr<const store::OverlayPart> part,
    std::vector<Overlay::Ip4Change> ip4, std::vector<Overlay::NameChange> names,
    std::shared_ptr<const store::Ip4RangeLayer> ranges, std::vector<Overlay::Ip6Change> ip6)
{
  auto next = headerOf(base);
  auto parts = liveParts(*current, std::move(part), ip4, names, ip6);
  std::shared_ptr<const store::Dataset> shared
      = current->overlay ? current->overlay->base() : std::shared_ptr<const store::Dataset>(current);
  next->overlay = std::make_shared<Overlay>(std::move(shared), std::move(parts), std::move(ip4),
      std::move(names), std::move(ranges), std::move(ip6));
  return next;
}

std::shared_ptr<store::OverlayPart> parseChangeSetPart(const store::Dataset& base,
    const std::vector<listing::JournalRecord>& records, const LoadOptions& options,
    std::vector<Diagnostic>& diagnostics,
    const std::function<bool(const listing::JournalRecord&, std::size_t)>& deciding)
{
  auto part = std::make_shared<store::OverlayPart>();
  store::Dataset& scratch = part->tables;
  scratch.type = base.type;
  {
    DatasetLoader loader(scratch, options, diagnostics);
    loader.beginFile(0, base.files[0] + ".journal");
    loader.seedLineContext(*base.lineContext);
    for (std::uint32_t i = 0; i < records.size(); ++i) {
      const listing::JournalRecord& record = records[i];
      if (record.kind != listing::JournalRecord::Kind::Add || !deciding(record, i))
        continue;
      loader.metadata(record.listing, i + 1);
      loader.line(record.entryLine, i + 1);
    }
    loader.endFile();
    loader.finish();
  }
  scratch.lineContext.reset();
  scratch.ttl = base.ttl; // the answers' TTLs are the dataset's
  scratch.timestampExpires = base.timestampExpires;
  return part;
}

// True if an added line lists the record's key itself (not an exclusion, not another spelling).
bool lineListsKey(std::string_view line, std::string_view key)
{
  line = skipBlanks(line);
  if (line.substr(0, key.size()) != key)
    return false;
  std::string_view rest = line.substr(key.size());
  return rest.empty() || isBlank(rest.front()) || rest.front() == ':' || rest.front() == '#'
      || rest.front() == ';';
}

std::shared_ptr<const store::Dataset> applyChangeSet(const std::shared_ptr<const store::Dataset>& current,
    const std::vector<listing::JournalRecord>& records, const LoadOptions& options,
    std::vector<Diagnostic>& diagnostics)
{
  if (!current)
    return nullptr;
  const store::Dataset& base = current->overlay ? *current->overlay->base() : *current;
  if (!overlayable(base))
    return nullptr;
  if (base.type == DatasetType::DnSet)
    return applyNames(current, base, records, options, diagnostics);
  if (base.type == DatasetType::Ip6Trie || base.type == DatasetType::Ip6TSet)
    return applyIp6(current, base, records, options, diagnostics);
  return applyIp4(current, base, records, options, diagnostics);
}

} // namespace shun::zone
