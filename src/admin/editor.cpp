#include "shun/admin/editor.hpp"

#include "admin/editor_steps.hpp"
#include "admin/report.hpp"
#include "admin/safe_file.hpp"
#include "shun/zone/gzip.hpp"

#include <algorithm>
#include <arpa/inet.h>

namespace shun::admin {
namespace {

// "127.0.0.N" or "N" as the ":value" of an entry; empty: the zone file's default.
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

std::int64_t expiryOf(const ManagedEntry* existing, bool active, const AddOptions& options,
    const Escalation& escalation, std::int64_t now)
{
  if (options.until)
    return *options.until;
  if (options.duration)
    return now + *options.duration;
  if (active && existing->listing.expires)
    return existing->listing.expires; // an update does not extend a listing by itself
  return escalation.duration > 0 ? now + escalation.duration : 0;
}

ManagedEntry newListing(const ManagedZone& zone, const listing::Key& key, const AddOptions& options,
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
  bool asked = options.until || options.duration;
  meta.expires = !asked && (coversPositiveTestPoint(key) || key.exclusion)
      ? 0 // the policy's durations are for listings
      : expiryOf(existing, active, options, escalation, now);
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

// Why key, not listed on its own, is still served: the entry that covers it, and how to except it. Reads
// the whole zone, so only shunctl's remove asks (never the page, per request).
std::string coveredReason(const ZoneTarget& target, const listing::Key& key, std::int64_t now)
{
  std::string plain = key.text + " is not listed in " + target.zone;
  if (key.exclusion || key.family == listing::Key::Family::Name)
    return plain;
  ManagedZone whole = ManagedZone::load(target.dataFile, target.type);
  const ManagedEntry* cover = coveringEntry(whole, key, now);
  if (!cover || cover->key.text == key.text)
    return plain;
  return key.text + " is not listed on its own in " + target.zone + ": it is part of the entry "
      + cover->key.text + "; remove that entry, or except the address from it with: shunctl add '!" + key.text
      + "'";
}

} // namespace

EditResult removeAs(Writer writer, const ZoneTarget& target, const std::vector<std::string>& texts,
    const listing::Listing& why)
{
  EditResult result;
  auto keys = parseAll(texts, target.type, result);
  if (!keys)
    return result;
  ZoneLock lock(target.dataFile);
  ManagedZone zone = ManagedZone::loadFocused(target.dataFile, target.type, focusOf(*keys, target.type));
  if (!guardAll(writer, *keys, zone, false, result))
    return result;
  std::vector<listing::JournalRecord> records;
  for (const listing::Key& key : *keys) {
    auto record = zone.remove(key, why);
    if (record)
      records.push_back(std::move(*record));
    std::string reason;
    if (!record)
      reason = writer == Writer::Remove ? coveredReason(target, key, why.added)
                                        : key.text + " is not listed in " + target.zone;
    result.keys.push_back({ key.text, record ? Outcome::Done : Outcome::NotListed, reason, "", 0 });
  }
  if (!records.empty())
    writeChanges(zone, records, lock.owner());
  result.changed = records.size();
  result.outcome = gravest(result.keys);
  return result;
}

int exitCode(Outcome outcome)
{
  return static_cast<int>(outcome);
}

EditResult ZoneEditor::add(const AddOptions& options, std::int64_t now) const
{
  std::string error;
  auto value = parseCode(options.code, error);
  if (!value)
    return rejected(Outcome::BadArgument, error);
  if (auto refusal = guardDuration(options.duration))
    return rejected(refusal->outcome, "--for: " + refusal->reason);
  if (auto refusal = options.until ? guardExpiry("--until", *options.until, now) : std::nullopt)
    return rejected(refusal->outcome, refusal->reason);
  EditResult result;
  auto keys = parseAll(options.keys, d_target.type, result);
  if (!keys)
    return result;
  try {
    ZoneLock lock(d_target.dataFile);
    ManagedZone zone
        = ManagedZone::loadFocused(d_target.dataFile, d_target.type, focusOf(*keys, d_target.type));
    if (!guardAll(Writer::Add, *keys, zone, options.force, result))
      return result;
    for (const listing::Key& key : *keys)
      if (auto refusal = guardTestPointExpiry(key, options.until || options.duration ? 1 : 0))
        result.keys.push_back({ key.text, refusal->outcome, refusal->reason, "", 0 });
    if (!result.keys.empty()) {
      result.outcome = gravest(result.keys);
      return result;
    }
    std::vector<listing::JournalRecord> records;
    records.reserve(keys->size());
    for (const listing::Key& key : *keys) {
      KeyHistory history;
      ManagedEntry entry = newListing(zone, key, options, *value, now, history);
      result.keys.push_back({ key.text, Outcome::Done, "", "", entry.listing.expires });
      records.push_back(zone.upsert(std::move(entry)));
      zone.recordListing(key, history);
    }
    writeChanges(zone, records, lock.owner());
    result.changed = records.size();
  } catch (const std::exception& error) {
    return rejected(Outcome::Failed, error.what());
  }
  return result;
}

EditResult ZoneEditor::remove(const std::vector<std::string>& keys, const std::string& reason,
    const std::string& by, std::int64_t now) const
{
  listing::Listing why;
  why.added = now;
  why.reason = reason;
  why.by = by;
  try {
    return removeAs(Writer::Remove, d_target, keys, why);
  } catch (const std::exception& error) {
    return rejected(Outcome::Failed, error.what());
  }
}

EditResult ZoneEditor::expire(bool dryRun, std::int64_t now) const
{
  EditResult result;
  result.dryRun = dryRun;
  try {
    ZoneLock lock(d_target.dataFile);
    ManagedZone zone = ManagedZone::load(d_target.dataFile, d_target.type);
    for (const ManagedEntry* entry : zone.entries())
      if (entry->listing.expires != 0 && entry->listing.expires <= now)
        result.keys.push_back({ entry->key.text, Outcome::Done, "", "", entry->listing.expires });
    result.changed = result.keys.size();
    if (dryRun)
      return result;
    zone.pruneExpired(now);
    // The file first, the journal second: a crash between them replays a journal that is already folded
    // in, which changes nothing (replaying records is idempotent).
    std::string text = zone.render();
    const FileOwner& owner = lock.owner();
    replaceAtomically(resolveDataFile(d_target.dataFile), zone.gzipped() ? zone::gzip(text) : text, owner);
    if (zone.journalTorn()) // an unfinished block is dropped with the journal: kept aside first
      keepTornTail(d_target.dataFile + ".journal", zone.journalCommitted(), owner);
    replaceAtomically(d_target.dataFile + ".journal", "", owner);
    replaceAtomically(d_target.dataFile + ".history", zone.renderHistory(), owner);
  } catch (const std::exception& error) {
    return rejected(Outcome::Failed, error.what());
  }
  return result;
}

} // namespace shun::admin
