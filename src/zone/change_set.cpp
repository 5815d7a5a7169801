#include "shun/zone/change_set.hpp"

#include "shun/listing/ip_text.hpp"
#include "shun/store/ip4_overlay.hpp"
#include "zone/dataset_loader.hpp"
#include "zone/text.hpp"

#include <algorithm>
#include <cstdio>
#include <sys/stat.h>
#include <unordered_map>

namespace shun::zone {
namespace {

using store::DatasetType;
using store::Ip4;

// The address of a key an overlay can take: one IPv4 address in the one spelling shunctl writes, so
// that one address is one journal key (the journal's last record per key decides).
std::optional<Ip4> singleAddress(const std::string& key)
{
  Ip4 first = 0;
  unsigned length = 0;
  if (listing::parseIp4Cidr(key, false, first, length) || length != 32)
    return std::nullopt;
  char canonical[16];
  std::snprintf(canonical, sizeof canonical, "%u.%u.%u.%u", first >> 24, first >> 16 & 255, first >> 8 & 255,
      first & 255);
  return key == canonical ? std::optional<Ip4>(first) : std::nullopt;
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

bool overlayable(const store::Dataset& base)
{
  return base.lineContext && base.files.size() == 1 && !base.overlay
      && (base.type == DatasetType::Ip4Set || base.type == DatasetType::Ip4Trie
          || base.type == DatasetType::Ip4TSet);
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

// Copies the values of payload in from's tables into to's, with their listings; returns to's payload.
std::uint32_t adoptPayload(const store::Dataset& from, std::uint32_t payload, store::Dataset& to)
{
  std::vector<store::ValueId> ids;
  for (store::ValueId id : from.sets.set(payload)) {
    store::Value value = from.values.value(id);
    store::CompiledValue compiled = from.values.compiled(id);
    if (value.listing != 0) {
      to.listings.push_back(from.listings[value.listing]);
      value.listing = compiled.listing = static_cast<std::uint32_t>(to.listings.size() - 1);
    }
    ids.push_back(to.values.adopt(value, compiled));
  }
  return to.sets.intern(ids);
}

// Parses the deciding added lines as a full load parses the journal after the file: the scratch dataset
// holds one single address per valid line.
void parseAdds(const store::Dataset& base, const std::vector<listing::JournalRecord>& records,
    const std::unordered_map<Ip4, std::size_t>& last, const LoadOptions& options,
    std::vector<Diagnostic>& diagnostics, store::Dataset& scratch)
{
  scratch.type = base.type;
  DatasetLoader loader(scratch, options, diagnostics);
  loader.beginFile(0, base.files[0] + ".journal");
  loader.seedLineContext(*base.lineContext);
  for (std::uint32_t i = 0; i < records.size(); ++i) {
    const listing::JournalRecord& record = records[i];
    if (record.kind != listing::JournalRecord::Kind::Add || last.at(*singleAddress(record.key)) != i)
      continue;
    loader.metadata(record.listing, i + 1);
    loader.line(record.entryLine, i + 1);
  }
  loader.endFile();
  loader.finish();
}

// Finds the record that decides each address (the journal's last record of a key); false if a record is
// not one an overlay answers exactly.
bool decidingRecords(const store::Dataset& base, const std::vector<listing::JournalRecord>& records,
    std::unordered_map<Ip4, std::size_t>& last)
{
  for (std::size_t i = 0; i < records.size(); ++i) {
    auto ip = singleAddress(records[i].key);
    if (!ip
        || (records[i].kind == listing::JournalRecord::Kind::Add
            && !lineListsKey(records[i].entryLine, records[i].key)))
      return false;
    // ip4set merges a single into the level-32 ranges around it: not an answer apart from them.
    if (base.type == DatasetType::Ip4Set && base.ip4.level32RangeCovers(*ip))
      return false;
    last[*ip] = i;
  }
  return true;
}

} // namespace

std::shared_ptr<const store::Dataset> applyChangeSet(const std::shared_ptr<const store::Dataset>& current,
    const std::vector<listing::JournalRecord>& records, const LoadOptions& options,
    std::vector<Diagnostic>& diagnostics)
{
  if (!current)
    return nullptr;
  const store::Dataset& base = current->overlay ? *current->overlay->base() : *current;
  if (!overlayable(base))
    return nullptr;
  std::unordered_map<Ip4, std::size_t> last; // the record that decides each address
  if (!decidingRecords(base, records, last) || last.size() > kMaxOverlayChanges)
    return nullptr; // the second: too many before parsing them
  store::Dataset scratch;
  parseAdds(base, records, last, options, diagnostics, scratch);

  auto next = headerOf(base);
  std::vector<store::Ip4Overlay::Change> changes;
  if (current->overlay)
    for (const auto& change : current->overlay->changes())
      if (!last.count(change.ip))
        changes.push_back({ change.ip,
            change.payload == store::kNoPayload ? store::kNoPayload
                                                : adoptPayload(*current, change.payload, *next) });
  for (const auto& [ip, index] : last) {
    std::uint32_t payload = scratch.ip4.find(ip); // none: removed, or a line the loader rejected
    changes.push_back({ ip, payload == store::kNoPayload ? payload : adoptPayload(scratch, payload, *next) });
  }
  if (changes.size() > kMaxOverlayChanges)
    return nullptr;
  std::sort(changes.begin(), changes.end(), [](const auto& a, const auto& b) { return a.ip < b.ip; });
  std::shared_ptr<const store::Dataset> shared
      = current->overlay ? current->overlay->base() : std::shared_ptr<const store::Dataset>(current);
  next->overlay = std::make_shared<store::Ip4Overlay>(std::move(shared), std::move(changes));
  return next;
}

} // namespace shun::zone
