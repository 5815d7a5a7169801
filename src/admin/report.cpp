#include "admin/report.hpp"

#include "admin/durations.hpp"
#include "shun/admin/json.hpp"

#include <cstdio>
#include <sstream>

namespace shun::admin {
namespace {

std::string when(std::int64_t time)
{
  return time ? listing::formatUtcTime(time) : "never";
}

// An unset text field shows as "-", not as a blank that reads like a formatting error.
std::string_view orDash(const std::string& text)
{
  return text.empty() ? "-" : std::string_view(text);
}

std::string jsonTime(std::int64_t time)
{
  return time ? jsonString(listing::formatUtcTime(time)) : "null";
}

bool served(const ManagedEntry& entry, std::int64_t now)
{
  return entry.listing.expires == 0 || entry.listing.expires > now;
}

// Width of the addresses an entry covers, to prefer the narrowest (longest-prefix) one.
long double span(const listing::Key& key)
{
  switch (key.family) {
  case listing::Key::Family::Ip4:
    return static_cast<long double>(key.v4Last - key.v4First);
  case listing::Key::Family::Ip6:
    return static_cast<long double>(key.v6Last - key.v6First);
  case listing::Key::Family::Name:
    return key.wildcard ? 1e30L / static_cast<long double>(key.name.size() + 1) : 0;
  }
  return 0;
}

std::string entryJson(const ManagedEntry& entry, std::int64_t now, const std::string& origin = "")
{
  const listing::Listing& meta = entry.listing;
  std::ostringstream out;
  out << "{\"key\":" << jsonString(entry.key.text) << ",\"value\":" << jsonString(entry.value)
      << ",\"added\":" << jsonTime(meta.added) << ",\"first_listed\":" << jsonTime(meta.firstAdded)
      << ",\"expires\":" << jsonTime(meta.expires) << ",\"times_listed\":" << meta.timesListed
      << ",\"ttl\":" << meta.ttl << ",\"source\":" << jsonString(meta.source)
      << ",\"by\":" << jsonString(meta.by) << ",\"reason\":" << jsonString(meta.reason)
      << ",\"evidence\":" << jsonString(meta.evidence)
      << ",\"expired\":" << (served(entry, now) ? "false" : "true");
  if (!origin.empty())
    out << ",\"origin\":" << jsonString(origin);
  out << "}";
  return out.str();
}

std::string entryLine(const ManagedEntry& entry, const std::string& origin)
{
  return entry.key.text + (entry.value.empty() ? "" : " " + entry.value)
      + (origin.empty() ? "" : " (" + origin + ")");
}

// Not listed because an exclusion excepts the key: which one, from what, and the exclusion's metadata.
void exclusionText(
    const std::string& zone, const listing::Key& key, const ShowFacts& facts, std::ostream& out)
{
  const ManagedEntry& exclusion = *facts.exclusion;
  out << key.text << " is not listed in " << zone << ": the exclusion " << exclusion.key.text << " excepts it"
      << (facts.entry ? " from the entry " + facts.entry->key.text : std::string()) << "\n"
      << "exclusion:     " << entryLine(exclusion, facts.exclusionOrigin) << "\n";
  if (facts.entry)
    out << "excepted from: " << entryLine(*facts.entry, facts.entryOrigin) << "\n";
  const listing::Listing& meta = exclusion.listing;
  if (!meta.reason.empty())
    out << "reason:        " << meta.reason << "\n";
  if (!meta.source.empty() || !meta.by.empty())
    out << "source:        " << orDash(meta.source) << (meta.by.empty() ? "" : " (by " + meta.by + ")")
        << "\n";
  if (meta.added)
    out << "added:         " << when(meta.added) << "\n";
}

} // namespace

const ManagedEntry* coveringEntry(const ManagedZone& zone, const listing::Key& key, std::int64_t now)
{
  if (const ManagedEntry* exact = zone.find(key); exact && served(*exact, now))
    return exact;
  const ManagedEntry* best = nullptr;
  for (const ManagedEntry* entry : zone.entries()) {
    if (!served(*entry, now) || entry->key.exclusion || !entry->key.overlaps(key)
        || span(entry->key) < span(key))
      continue;
    if (!best || span(entry->key) < span(best->key))
      best = entry;
  }
  return best;
}

const ManagedEntry* coveringExclusion(const ManagedZone& zone, const listing::Key& key, std::int64_t now)
{
  const ManagedEntry* best = nullptr;
  for (const ManagedEntry* entry : zone.entries()) {
    if (!entry->key.exclusion || !served(*entry, now) || !entry->key.overlaps(key)
        || span(entry->key) < span(key))
      continue;
    if (!best || span(entry->key) < span(best->key))
      best = entry;
  }
  return best;
}

std::string describeListing(
    const std::string& zone, const std::string& key, std::int64_t expires, std::int64_t now)
{
  std::string line = key.starts_with('!') ? "excepted " + key.substr(1) + " from the entries of " + zone
                                          : "listed " + key + " in " + zone;
  if (expires)
    line += " until " + when(expires) + " (" + formatDuration(expires - now) + ")";
  else
    line += " with no end date";
  return line;
}

std::string showText(
    const std::string& zone, const listing::Key& key, const ShowFacts& facts, std::int64_t now)
{
  std::ostringstream out;
  if (!facts.served && facts.exclusion)
    exclusionText(zone, key, facts, out);
  else if (!facts.served)
    out << key.text << " is not listed in " << zone << "\n";
  if (!facts.served) {
    if (facts.history.count)
      out << "history:       listed " << facts.history.count << " time(s), last " << when(facts.history.last)
          << "\n";
    return out.str();
  }
  out << key.text << " is listed in " << zone << "\n"
      << "answer:        A " << facts.served->a
      << (facts.served->txt.empty() ? std::string() : ", TXT \"" + facts.served->txt + "\"") << "\n";
  if (!facts.entry) {
    out << "entry:         not managed by shunctl (no metadata)\n";
    return out.str();
  }
  const listing::Listing& meta = facts.entry->listing;
  out << "entry:         " << entryLine(*facts.entry, facts.entryOrigin) << "\n"
      << "reason:        " << orDash(meta.reason) << "\n"
      << "evidence:      " << orDash(meta.evidence) << "\n"
      << "source:        " << orDash(meta.source) << (meta.by.empty() ? "" : " (by " + meta.by + ")") << "\n"
      << "added:         " << when(meta.added) << "\n"
      << "first listed:  " << when(meta.firstAdded) << "\n"
      << "expires:       " << when(meta.expires)
      << (meta.expires ? " (in " + formatDuration(meta.expires - now) + ")" : "") << "\n"
      << "times listed:  " << meta.timesListed << "\n";
  if (facts.history.level)
    out << "escalation:    level " << facts.history.level << " (relisted within the zone's window)\n";
  return out.str();
}

std::string showJson(
    const std::string& zone, const listing::Key& key, const ShowFacts& facts, std::int64_t now)
{
  std::ostringstream out;
  out << "{\"zone\":" << jsonString(zone) << ",\"key\":" << jsonString(key.text)
      << ",\"listed\":" << (facts.served ? "true" : "false");
  if (facts.served)
    out << ",\"a\":" << jsonString(facts.served->a) << ",\"txt\":" << jsonString(facts.served->txt);
  if (!facts.served)
    out << ",\"exclusion\":"
        << (facts.exclusion ? entryJson(*facts.exclusion, now, facts.exclusionOrigin) : "null")
        << ",\"excepted_from\":"
        << (facts.exclusion && facts.entry ? entryJson(*facts.entry, now, facts.entryOrigin) : "null");
  out << ",\"entry\":"
      << (facts.served && facts.entry ? entryJson(*facts.entry, now, facts.entryOrigin) : "null")
      << ",\"escalation_level\":" << facts.history.level << "}";
  return out.str();
}

std::string listTable(const std::vector<const ManagedEntry*>& entries)
{
  std::ostringstream out;
  char line[512];
  std::snprintf(line, sizeof line, "%-24s %-14s %-21s %-5s %-12s %s\n", "KEY", "VALUE", "EXPIRES", "TIMES",
      "SOURCE", "REASON");
  out << line;
  for (const ManagedEntry* entry : entries) {
    std::snprintf(line, sizeof line, "%-24s %-14s %-21s %-5u %-12s %s\n", entry->key.text.c_str(),
        entry->value.substr(0, 14).c_str(), when(entry->listing.expires).c_str(), entry->listing.timesListed,
        entry->listing.source.c_str(), entry->listing.reason.c_str());
    out << line;
  }
  return out.str();
}

std::string listJson(const std::vector<const ManagedEntry*>& entries, std::int64_t now)
{
  std::string out = "[";
  for (std::size_t i = 0; i < entries.size(); ++i)
    out += (i ? "," : "") + entryJson(*entries[i], now);
  return out + "]\n";
}

} // namespace shun::admin
