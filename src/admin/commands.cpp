#include "admin/commands.hpp"

#include "admin/durations.hpp"
#include "admin/key.hpp"
#include "admin/managed_zone.hpp"
#include "admin/report.hpp"
#include "admin/safe_file.hpp"

#include <arpa/inet.h>
#include <iostream>

namespace shun::admin {
namespace {

// More keys than this in one add/remove are summarised instead of listed one per line.
constexpr std::size_t kEchoLimit = 20;

std::optional<std::string> parseCode(const std::string& code, std::string& error)
{
  if (code.empty())
    return std::string {};
  std::string full = code.find('.') == std::string::npos ? "127.0.0." + code : code;
  in_addr parsed {};
  if (inet_pton(AF_INET, full.c_str(), &parsed) != 1 || (ntohl(parsed.s_addr) >> 24) != 127
      || ntohl(parsed.s_addr) == 0x7f000001) {
    error = "--code " + code + ": must be an address in 127.0.0.0/8 other than 127.0.0.1 (RFC 5782)";
    return std::nullopt;
  }
  return ":" + full;
}

// Parses and checks every key before anything is written.
std::optional<std::vector<Key>> parseKeys(
    const std::vector<std::string>& texts, store::DatasetType type, std::ostream& err)
{
  std::vector<Key> keys;
  for (const std::string& text : texts) {
    std::string error;
    auto key = parseKey(text, error);
    if (!key || !fitsDataset(*key, type, error)) {
      err << "shunctl: " << error << "\n";
      return std::nullopt;
    }
    keys.push_back(*key);
  }
  if (keys.empty()) {
    err << "shunctl: no keys given\n";
    return std::nullopt;
  }
  return keys;
}

bool isTestPoint(const Key& key, std::string_view address)
{
  std::string error;
  auto point = parseKey(address, error);
  return point && key.overlaps(*point);
}

std::optional<std::string> protectedConflict(const ManagedZone& zone, const Key& key)
{
  for (const ProtectedKey& guarded : zone.protectedKeys())
    if (key.overlaps(guarded.key))
      return key.text + " overlaps protected " + guarded.key.text
          + (guarded.reason.empty() ? "" : " (" + guarded.reason + ")");
  return std::nullopt;
}

ManagedEntry newListing(const ManagedZone& zone, const Key& key, const AddOptions& options,
    const std::string& value, std::int64_t now, KeyHistory& history)
{
  const ManagedEntry* existing = zone.find(key);
  history = zone.history(key);
  Escalation escalation = escalate(zone.policy(), history.level, history.last, now);
  ManagedEntry entry;
  entry.key = key;
  entry.value = value.empty() && existing ? existing->value : value;
  listing::Listing& meta = entry.listing;
  meta.added = now;
  meta.firstAdded = existing && existing->listing.firstAdded ? existing->listing.firstAdded
      : history.first                                        ? history.first
                                                             : now;
  bool active = existing && (existing->listing.expires == 0 || existing->listing.expires > now);
  meta.timesListed = active ? std::max<std::uint32_t>(existing->listing.timesListed, 1) : history.count + 1;
  if (options.until)
    meta.expires = *options.until;
  else if (options.duration)
    meta.expires = now + *options.duration;
  else if (active && existing->listing.expires)
    meta.expires = existing->listing.expires; // an update does not extend a listing by itself
  else
    meta.expires = escalation.duration > 0 ? now + escalation.duration : 0;
  meta.ttl = options.ttl;
  meta.reason = options.reason;
  meta.evidence = options.evidence;
  meta.source = options.source;
  meta.by = options.by;
  if (!active && escalation.level > 0)
    meta.extra.emplace_back("level", std::to_string(escalation.level));
  history = { meta.firstAdded, now, meta.timesListed, active ? history.level : escalation.level };
  return entry;
}

// The spellings under which the keys appear in a data file written by shunctl.
std::vector<std::string> focusOf(const std::vector<Key>& keys, store::DatasetType type)
{
  std::vector<std::string> texts;
  for (const Key& key : keys) {
    texts.push_back(zoneSpelling(key, type));
    texts.push_back(key.text);
  }
  return texts;
}

void writeChanges(const ManagedZone& zone, const std::vector<listing::JournalRecord>& records)
{
  appendDurably(zone.dataFile() + ".journal", listing::encodeJournalBlock(records));
  replaceAtomically(zone.dataFile() + ".history", zone.renderHistory());
}

} // namespace

int addKeys(const ZoneTarget& target, const AddOptions& options, std::int64_t now, std::ostream& out,
    std::ostream& err)
{
  std::string error;
  auto value = parseCode(options.code, error);
  if (!value) {
    err << "shunctl: " << error << "\n";
    return kBadArgument;
  }
  if (options.until && *options.until <= now) {
    err << "shunctl: --until " << listing::formatUtcTime(*options.until) << " is in the past\n";
    return kBadArgument;
  }
  auto keys = parseKeys(options.keys, target.type, err);
  if (!keys)
    return kBadArgument;
  for (const Key& key : *keys) {
    if (isTestPoint(key, "127.0.0.1")) {
      err << "shunctl: " << key.text << " would list 127.0.0.1, which RFC 5782 says must never be listed\n";
      return kRefused;
    }
  }
  ZoneLock lock(target.dataFile);
  ManagedZone zone = ManagedZone::loadFocused(target.dataFile, target.type, focusOf(*keys, target.type));
  for (const Key& key : *keys) {
    if (auto conflict = protectedConflict(zone, key); conflict && !options.force) {
      err << "shunctl: refusing " << *conflict << "; use --force to list it anyway\n";
      return kRefused;
    }
  }
  std::vector<listing::JournalRecord> records;
  records.reserve(keys->size());
  for (const Key& key : *keys) {
    KeyHistory history;
    ManagedEntry entry = newListing(zone, key, options, *value, now, history);
    if (keys->size() <= kEchoLimit)
      out << describeListing(target.zone, entry, now) << "\n";
    records.push_back(zone.upsert(std::move(entry)));
    zone.recordListing(key, history);
  }
  writeChanges(zone, records);
  if (keys->size() > kEchoLimit)
    out << "listed " << keys->size() << " keys in " << target.zone << "\n";
  return kOk;
}

int removeKeys(const ZoneTarget& target, const std::vector<std::string>& texts, const std::string& reason,
    const std::string& by, std::int64_t now, std::ostream& out, std::ostream& err)
{
  auto keys = parseKeys(texts, target.type, err);
  if (!keys)
    return kBadArgument;
  for (const Key& key : *keys) {
    if (isTestPoint(key, "127.0.0.2")) {
      err << "shunctl: " << key.text << " covers the RFC 5782 test point 127.0.0.2, which must stay listed\n";
      return kRefused;
    }
  }
  ZoneLock lock(target.dataFile);
  ManagedZone zone = ManagedZone::loadFocused(target.dataFile, target.type, focusOf(*keys, target.type));
  listing::Listing why;
  why.added = now;
  why.reason = reason;
  why.by = by;
  std::vector<listing::JournalRecord> records;
  for (const Key& key : *keys) {
    if (auto record = zone.remove(key, why)) {
      records.push_back(std::move(*record));
      if (keys->size() <= kEchoLimit)
        out << "removed " << key.text << " from " << target.zone << "\n";
    } else {
      err << "shunctl: " << key.text << " is not listed in " << target.zone << "\n";
    }
  }
  if (!records.empty())
    writeChanges(zone, records);
  if (keys->size() > kEchoLimit)
    out << "removed " << records.size() << " keys from " << target.zone << "\n";
  return records.size() == keys->size() ? kOk : kNotListed;
}

int showKey(const ZoneTarget& target, const std::string& text, bool json, std::int64_t now, std::ostream& out,
    std::ostream& err)
{
  auto keys = parseKeys({ text }, target.type, err);
  if (!keys)
    return kBadArgument;
  ShowFacts facts;
  facts.served = servedAnswer(target, keys->front(), now);
  // The exact entry is found by reading only its lines; a covering range needs the whole file.
  ManagedZone zone = ManagedZone::loadFocused(target.dataFile, target.type, focusOf(*keys, target.type));
  facts.entry = facts.served ? coveringEntry(zone, keys->front(), now) : nullptr;
  if (facts.served && !facts.entry) {
    zone = ManagedZone::load(target.dataFile, target.type);
    facts.entry = coveringEntry(zone, keys->front(), now);
  }
  facts.history = zone.history(keys->front());
  out << (json ? showJson(target.zone, keys->front(), facts, now) + "\n"
               : showText(target.zone, keys->front(), facts, now));
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

int expireZone(const ZoneTarget& target, std::int64_t now, std::ostream& out, std::ostream& err)
{
  ZoneLock lock(target.dataFile);
  ManagedZone zone = ManagedZone::load(target.dataFile, target.type);
  std::size_t pruned = zone.pruneExpired(now);
  // The file first, the journal second: a crash between them replays a journal that is already folded in,
  // which changes nothing (replaying records is idempotent).
  replaceAtomically(target.dataFile, zone.render());
  replaceAtomically(target.dataFile + ".journal", "");
  replaceAtomically(target.dataFile + ".history", zone.renderHistory());
  out << "pruned " << pruned << " expired entries from " << target.zone << "\n";
  return kOk;
}

int exportZone(const ZoneTarget& target, std::ostream& out, std::ostream& err)
{
  ZoneLock lock(target.dataFile);
  out << ManagedZone::load(target.dataFile, target.type).render();
  return kOk;
}

int importFile(const ZoneTarget& target, const std::string& file, const AddOptions& defaults,
    std::int64_t now, std::ostream& out, std::ostream& err)
{
  ManagedZone source = ManagedZone::load(file, target.type);
  ZoneLock lock(target.dataFile);
  ManagedZone zone = ManagedZone::load(target.dataFile, target.type);
  std::vector<listing::JournalRecord> records;
  for (const ManagedEntry* entry : source.entries()) {
    std::string error;
    if (!fitsDataset(entry->key, target.type, error)) {
      err << "shunctl: " << file << ": " << error << "\n";
      return kBadArgument;
    }
    ManagedEntry copy = *entry;
    if (copy.listing.added == 0)
      copy.listing.added = now;
    if (copy.listing.source.empty())
      copy.listing.source = defaults.source.empty() ? "import" : defaults.source;
    records.push_back(zone.upsert(std::move(copy)));
  }
  if (!records.empty())
    writeChanges(zone, records);
  out << "imported " << records.size() << " entries into " << target.zone << "\n";
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
