// applyChangeSet for a dnset: changed names laid over the base's NameSet (store::Overlay).
#include "shun/zone/change_set.hpp"
#include "zone/change_set_parts.hpp"
#include "zone/name_key_form.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace shun::zone {
namespace {

using store::Overlay;
using State = Overlay::NameShape::State;

// The base's closest wildcard at or above the name wire: the closest one above a child of it that the
// base does not list exactly (a probe label no list holds). nullopt: no probe fits.
std::optional<Overlay::BaseWildcard> wildcardAtOrAbove(const store::Dataset& base, std::string_view wire)
{
  static constexpr std::string_view kProbes[] = { "\x0bshun-probe0", "\x0bshun-probe1", "\x0bshun-probe2" };
  for (std::string_view label : kProbes) {
    std::string probe = std::string(label) + std::string(wire);
    if (probe.size() > 255)
      return std::nullopt;
    store::NameSet::Hit hit = base.names.find(probe);
    if (hit.listedName.data() && hit.listedName.size() == probe.size())
      continue; // the probe itself is listed: try another
    if (!hit.listedName.data())
      return Overlay::BaseWildcard {};
    return Overlay::BaseWildcard { { &base, hit.payload }, static_cast<std::uint16_t>(hit.listedName.size()),
      true };
  }
  return std::nullopt;
}

std::string_view parentOf(std::string_view wire)
{
  return wire.substr(1 + static_cast<unsigned char>(wire[0]));
}

// True if the base lists (with a value) the shape of the name that a removal hides: the names above it may
// then have lost their last listed descendant, which the overlay cannot see (NameChange::hidesListed).
std::optional<bool> baseLists(const store::Dataset& base, const std::string& wire, bool exact)
{
  if (exact) {
    store::NameSet::Hit hit = base.names.find(wire);
    return hit.listedName.size() == wire.size() && hit.listedName.data() && hit.payload != store::kNoPayload;
  }
  auto wildcard = wildcardAtOrAbove(base, wire);
  if (!wildcard)
    return std::nullopt;
  return wildcard->found && wildcard->suffix == wire.size() && wildcard->hit.payload != store::kNoPayload;
}

// One name a change set decides: its reversed key (the overlay's sort key), its wire name and spelling,
// the journal record deciding it (its key's last one), and what the change set's part parsed for it.
struct Decided {
  std::string key;
  NameKey name;
  std::size_t index;
  std::optional<std::uint32_t> payload[2]; ///< [Exact, Subdomains]: listed by the part
};

// The names a change set decides, sorted by key, one each, deciding record the last of its key; false if a
// record is not one an overlay answers exactly: a key in upper case or not valid, an exclusion or another
// spelling of the key in the line, two spellings of one name. A batch is sorted once: no node per name.
bool decidingNames(const std::vector<listing::JournalRecord>& records, std::vector<Decided>& decided)
{
  decided.reserve(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    const listing::JournalRecord& record = records[i];
    auto name = parseNameKey(record.key);
    if (!name || name->wire.empty()
        || std::any_of(record.key.begin(), record.key.end(), [](char c) { return c >= 'A' && c <= 'Z'; })
        || (record.kind == listing::JournalRecord::Kind::Add && !lineListsKey(record.entryLine, record.key)))
      return false;
    std::string key = Overlay::nameKey(name->wire);
    decided.push_back({ std::move(key), std::move(*name), i, {} });
  }
  std::stable_sort(
      decided.begin(), decided.end(), [](const Decided& a, const Decided& b) { return a.key < b.key; });
  std::size_t kept = 0; // of each run of one key, the last record decides
  for (std::size_t i = 0; i < decided.size(); ++i) {
    if (kept > 0 && decided[kept - 1].key == decided[i].key) {
      if (decided[kept - 1].name.form != decided[i].name.form)
        return false;
      decided[kept - 1] = std::move(decided[i]);
    } else if (kept++ != i)
      decided[kept - 1] = std::move(decided[i]);
  }
  decided.resize(kept);
  return true;
}

// What the change set's part parsed for each decided name, by shape: one walk of the part's names, which
// are decided names in the same order (the lines the loader rejected are missing), so a cursor finds each
// without a key built; a name off that order is searched by its key.
void findParsed(const store::OverlayPart& part, std::vector<Decided>& decided)
{
  std::size_t next = 0;
  part.tables.names.forEach([&](std::string_view wire, store::NameMatch match, bool, std::uint32_t payload) {
    std::size_t at = next;
    while (at < decided.size() && decided[at].name.wire != wire)
      ++at;
    if (at == decided.size()) {
      std::string key = Overlay::nameKey(wire);
      auto found = std::lower_bound(decided.begin(), decided.end(), key,
          [](const Decided& d, const std::string& k) { return d.key < k; });
      if (found == decided.end() || found->key != key)
        return;
      at = static_cast<std::size_t>(found - decided.begin());
    }
    next = at;
    decided[at].payload[match == store::NameMatch::Exact ? 0 : 1] = payload;
  });
}

// One shape's new state: listed with the parsed payload, or removed (a removal, or a line the loader
// rejected, which a full load would also leave out).
Overlay::NameShape shapeOf(const store::OverlayPart& part, std::optional<std::uint32_t> payload)
{
  if (!payload)
    return { State::Removed, {} };
  return { State::Listed, { &part.tables, *payload } };
}

std::vector<Overlay::NameChange> mergeNames(
    std::span<const Overlay::NameChange> before, std::vector<Overlay::NameChange> added)
{
  std::vector<Overlay::NameChange> merged; // both sorted by key
  merged.reserve(before.size() + added.size());
  std::size_t i = 0, j = 0;
  while (i < before.size() || j < added.size()) {
    if (j == added.size() || (i < before.size() && before[i].key < added[j].key))
      merged.push_back(before[i++]);
    else {
      i += i < before.size() && before[i].key == added[j].key ? 1 : 0;
      merged.push_back(added[j++]);
    }
  }
  return merged;
}

} // namespace

std::shared_ptr<const store::Dataset> applyNames(const std::shared_ptr<const store::Dataset>& current,
    const store::Dataset& base, const std::vector<listing::JournalRecord>& records,
    const LoadOptions& options, std::vector<Diagnostic>& diagnostics)
{
  std::vector<Decided> decided; // by key
  if (!decidingNames(records, decided) || decided.size() > kMaxOverlayChanges)
    return nullptr;
  std::vector<bool> decides(records.size());
  for (const Decided& name : decided)
    decides[name.index] = true;
  const Overlay* overlay = current->overlay.get();
  auto part = parseChangeSetPart(base, records, options, diagnostics,
      [&](const listing::JournalRecord&, std::size_t i) { return decides[i]; });
  findParsed(*part, decided);
  std::vector<Overlay::NameChange> added;
  added.reserve(decided.size());
  // Names in key order come with their siblings: one search of the base per parent, not per name.
  std::string_view lastParent;
  std::optional<std::optional<Overlay::BaseWildcard>> lastAbove;
  auto aboveOf = [&](std::string_view wire) {
    if (!lastAbove || parentOf(wire) != lastParent)
      lastAbove = wildcardAtOrAbove(base, lastParent = parentOf(wire));
    return *lastAbove;
  };
  for (Decided& name : decided) {
    const std::string& wire = name.name.wire;
    const Overlay::NameChange* before = overlay ? overlay->nameChangeAt(name.key) : nullptr;
    Overlay::NameChange change = before ? *before : Overlay::NameChange {};
    if (!before) {
      auto forms = base.lineContext->journalNameForms.find(wire);
      change.forms = forms == base.lineContext->journalNameForms.end() ? 0 : forms->second;
      auto above = aboveOf(wire);
      if (!above)
        return nullptr;
      change.above = *above;
    }
    if (change.forms & ~name.name.form)
      return nullptr; // another spelling of the name is journalled too: both apply
    change.forms |= name.name.form;
    bool add = records[name.index].kind == listing::JournalRecord::Kind::Add;
    change.hidesListed = false;
    for (int shape = 0; shape < 2; ++shape) {
      if (!(shape == 0 ? name.name.exact() : name.name.subdomains()))
        continue;
      auto payload = add ? name.payload[shape] : std::nullopt;
      (shape == 0 ? change.exact : change.subdomains) = shapeOf(*part, payload);
      auto lists = payload ? std::optional<bool>(false) : baseLists(base, wire, shape == 0);
      if (!lists)
        return nullptr;
      change.hidesListed = change.hidesListed || *lists;
    }
    part->nameKeys.push_back(std::move(name.key)); // its bytes stay where they are: no copy
    change.key = part->nameKeys.back();
    change.keyPart = part.get();
    added.push_back(change);
  }
  auto names = mergeNames(
      overlay ? overlay->nameChanges() : std::span<const Overlay::NameChange> {}, std::move(added));
  if (names.size() > kMaxOverlayChanges)
    return nullptr;
  return overlaid(current, base, std::move(part), {}, std::move(names));
}

} // namespace shun::zone
