// applyChangeSet for a dnset: changed names laid over the base's NameSet (store::Overlay).
#include "shun/zone/change_set.hpp"
#include "zone/change_set_parts.hpp"
#include "zone/name_key_form.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <unordered_map>

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

struct Deciding {
  NameKey name;
  std::size_t index;
};

// The record deciding each name (the journal's last record of its key); false if a record is not one an
// overlay answers exactly: a key in upper case or not valid, an exclusion or another spelling of the key
// in the line, two spellings of one name.
bool decidingNameRecords(
    const std::vector<listing::JournalRecord>& records, std::map<std::string, Deciding>& deciding)
{
  for (std::size_t i = 0; i < records.size(); ++i) {
    const listing::JournalRecord& record = records[i];
    auto name = parseNameKey(record.key);
    if (!name || name->wire.empty()
        || std::any_of(record.key.begin(), record.key.end(), [](char c) { return c >= 'A' && c <= 'Z'; })
        || (record.kind == listing::JournalRecord::Kind::Add && !lineListsKey(record.entryLine, record.key)))
      return false;
    auto [at, inserted] = deciding.try_emplace(name->wire, Deciding { *name, i });
    if (!inserted && at->second.name.form != name->form)
      return false;
    at->second.index = i;
  }
  return true;
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
  std::sort(added.begin(), added.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
  std::vector<Overlay::NameChange> merged;
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
  std::map<std::string, Deciding> deciding; // by wire name
  if (!decidingNameRecords(records, deciding) || deciding.size() > kMaxOverlayChanges)
    return nullptr;
  const Overlay* overlay = current->overlay.get();
  auto part = parseChangeSetPart(
      base, records, options, diagnostics, [&](const listing::JournalRecord& record, std::size_t i) {
        return deciding.at(parseNameKey(record.key)->wire).index == i;
      });
  std::unordered_map<std::string, std::optional<std::uint32_t>> parsed[2]; // [Exact, Subdomains]
  part->tables.names.forEach([&](std::string_view wire, store::NameMatch match, bool, std::uint32_t payload) {
    parsed[match == store::NameMatch::Exact ? 0 : 1][std::string(wire)] = payload;
  });
  std::vector<Overlay::NameChange> added;
  added.reserve(deciding.size());
  for (const auto& [wire, decided] : deciding) {
    std::string key = Overlay::nameKey(wire);
    const Overlay::NameChange* before = overlay ? overlay->nameChangeAt(key) : nullptr;
    Overlay::NameChange change = before ? *before : Overlay::NameChange {};
    if (!before) {
      auto forms = base.lineContext->journalNameForms.find(wire);
      change.forms = forms == base.lineContext->journalNameForms.end() ? 0 : forms->second;
      auto above = wildcardAtOrAbove(base, parentOf(wire));
      if (!above)
        return nullptr;
      change.above = *above;
    }
    if (change.forms & ~decided.name.form)
      return nullptr; // another spelling of the name is journalled too: both apply
    change.forms |= decided.name.form;
    bool add = records[decided.index].kind == listing::JournalRecord::Kind::Add;
    change.hidesListed = false;
    for (int shape = 0; shape < 2; ++shape) {
      if (!(shape == 0 ? decided.name.exact() : decided.name.subdomains()))
        continue;
      auto at = parsed[shape].find(wire);
      auto payload = add && at != parsed[shape].end() ? at->second : std::nullopt;
      (shape == 0 ? change.exact : change.subdomains) = shapeOf(*part, payload);
      auto lists = payload ? std::optional<bool>(false) : baseLists(base, wire, shape == 0);
      if (!lists)
        return nullptr;
      change.hidesListed = change.hidesListed || *lists;
    }
    part->nameKeys.push_back(std::move(key));
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
