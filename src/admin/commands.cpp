#include "shun/admin/commands.hpp"

#include "admin/key.hpp"
#include "admin/managed_zone.hpp"
#include "admin/report.hpp"
#include "admin/safe_file.hpp"

#include <iostream>

namespace shun::admin {
namespace {

// More keys than this in one edit are summarised instead of listed one per line.
constexpr std::size_t kEchoLimit = 20;

// Parses a key for show; a bad one is a one-line error.
std::optional<listing::Key> parseShown(const std::string& text, store::DatasetType type, std::ostream& err)
{
  std::string error;
  auto key = listing::parseKey(text, error);
  if (!key || !fitsDataset(*key, type, error)) {
    err << "shunctl: " << error << "\n";
    return std::nullopt;
  }
  return key;
}

std::vector<std::string> focusOf(const listing::Key& key, store::DatasetType type)
{
  return { zoneSpelling(key, type), key.text, key.text + "/128" }; // the last: older shunctl's IPv6 spelling
}

// How each command words what it did: one line per key, and the summary past kEchoLimit keys (or always).
struct Wording {
  std::string (*line)(const ZoneTarget& target, const KeyResult& key, bool dryRun, std::int64_t now);
  std::string (*summary)(const ZoneTarget& target, const EditResult& result);
  bool alwaysSummarise;
};

int render(const ZoneTarget& target, const Wording& wording, const EditResult& result, std::int64_t now,
    std::ostream& out, std::ostream& err)
{
  for (const KeyResult& key : result.keys)
    if (key.outcome != Outcome::Done)
      err << (key.where.empty() ? "shunctl: " : key.where + ": ") << key.reason << "\n";
  if (!result.reason.empty())
    err << "shunctl: " << result.reason << "\n";
  bool wrote = result.outcome == Outcome::Done || result.outcome == Outcome::NotListed;
  if (!wrote)
    return exitCode(result.outcome);
  if (result.changed <= kEchoLimit)
    for (const KeyResult& key : result.keys)
      if (key.outcome == Outcome::Done)
        out << wording.line(target, key, result.dryRun, now) << "\n";
  if (wording.alwaysSummarise || result.changed > kEchoLimit)
    out << wording.summary(target, result) << "\n";
  if (result.skipped)
    out << "skipped " << result.skipped << " invalid line" << (result.skipped == 1 ? "" : "s") << "\n";
  return exitCode(result.outcome);
}

const Wording kAdding { [](const ZoneTarget& target, const KeyResult& key, bool, std::int64_t now) {
                         return describeListing(target.zone, key.key, key.expires, now);
                       },
  [](const ZoneTarget& target, const EditResult& result) {
    return "listed " + std::to_string(result.changed) + " keys in " + target.zone;
  },
  false };

const Wording kRemoving { [](const ZoneTarget& target, const KeyResult& key, bool, std::int64_t) {
                           return "removed " + key.key + " from " + target.zone;
                         },
  [](const ZoneTarget& target, const EditResult& result) {
    return "removed " + std::to_string(result.changed) + " keys from " + target.zone;
  },
  false };

const Wording kImporting { [](const ZoneTarget& target, const KeyResult& key, bool dryRun, std::int64_t now) {
                            return (dryRun ? "would list " : "listed ") + key.key + " ("
                                + (key.where.empty() ? target.zone : key.where) + ")";
                          },
  [](const ZoneTarget& target, const EditResult& result) {
    return (result.dryRun ? "would import " : "imported ") + std::to_string(result.changed) + " entries into "
        + target.zone;
  },
  true };

const Wording kExpiring { [](const ZoneTarget&, const KeyResult& key, bool dryRun, std::int64_t) {
                           return (dryRun ? "would prune " : "pruned ") + key.key + " (expired "
                               + listing::formatUtcTime(key.expires) + ")";
                         },
  [](const ZoneTarget& target, const EditResult& result) {
    return (result.dryRun ? "would prune " : "pruned ") + std::to_string(result.changed)
        + " expired entries from " + target.zone;
  },
  true };

} // namespace

int addKeys(const ZoneTarget& target, const AddOptions& options, std::int64_t now, std::ostream& out,
    std::ostream& err)
{
  return render(target, kAdding, ZoneEditor(target).add(options, now), now, out, err);
}

int removeKeys(const ZoneTarget& target, const std::vector<std::string>& keys, const std::string& reason,
    const std::string& by, std::int64_t now, std::ostream& out, std::ostream& err)
{
  return render(target, kRemoving, ZoneEditor(target).remove(keys, reason, by, now), now, out, err);
}

int expireZone(const ZoneTarget& target, bool dryRun, std::int64_t now, std::ostream& out, std::ostream& err)
{
  return render(target, kExpiring, ZoneEditor(target).expire(dryRun, now), now, out, err);
}

int importFile(const ZoneTarget& target, const ImportOptions& options, std::int64_t now, std::ostream& out,
    std::ostream& err)
{
  return render(target, kImporting, ZoneEditor(target).importFile(options, now), now, out, err);
}

int showKey(const ZoneTarget& target, const std::string& text, bool json, std::int64_t now, std::ostream& out,
    std::ostream& err)
{
  auto key = parseShown(text, target.type, err);
  if (!key)
    return kBadArgument;
  ShowFacts facts;
  facts.served = servedAnswer(target, *key, now);
  // The entries deciding the key are found by reading only their lines; a hand-spelled range needs the
  // whole file.
  auto focus = focusOf(*key, target.type);
  for (std::string& spelling : coveringSpellings(*key, target.type))
    focus.push_back(std::move(spelling));
  ManagedZone zone = ManagedZone::loadFocused(target.dataFile, target.type, focus);
  facts.entry = coveringEntry(zone, *key, now);
  if (facts.served && !facts.entry) {
    zone = ManagedZone::load(target.dataFile, target.type);
    facts.entry = coveringEntry(zone, *key, now);
  }
  facts.exclusion = facts.served ? nullptr : coveringExclusion(zone, *key, now);
  facts.entryOrigin = facts.entry ? zone.origin(*facts.entry) : "";
  facts.exclusionOrigin = facts.exclusion ? zone.origin(*facts.exclusion) : "";
  facts.history = zone.history(*key);
  out << (json ? showJson(target.zone, *key, facts, now) + "\n" : showText(target.zone, *key, facts, now));
  return facts.served ? kOk : kNotListed;
}

int listKeys(const ZoneTarget& target, const ListFilter& filter, bool json, std::int64_t now,
    std::ostream& out, std::ostream& err)
{
  ManagedZone zone = ManagedZone::load(target.dataFile, target.type);
  std::vector<const ManagedEntry*> selected;
  for (const ManagedEntry* entry : zone.entries()) {
    std::int64_t expires = entry->listing.expires;
    bool expired = expires != 0 && expires <= now;
    if (filter.expiredOnly && !expired)
      continue;
    if (filter.expiringWithin && (expires == 0 || expired || expires > now + *filter.expiringWithin))
      continue;
    if (!filter.expiredOnly && !filter.expiringWithin && expired)
      continue; // the default view shows what is served
    selected.push_back(entry);
  }
  out << (json ? listJson(selected, now) : listTable(selected));
  return kOk;
}

int exportZone(const ZoneTarget& target, std::ostream& out, std::ostream& err)
{
  ZoneLock lock(target.dataFile);
  out << ManagedZone::load(target.dataFile, target.type).render();
  return kOk;
}

std::vector<std::string> readKeyList(std::istream& in)
{
  std::vector<std::string> keys;
  for (std::string line; std::getline(in, line);) {
    auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#')
      continue;
    keys.push_back(line.substr(first, line.find_first_of(" \t\r", first) - first));
  }
  return keys;
}

} // namespace shun::admin
