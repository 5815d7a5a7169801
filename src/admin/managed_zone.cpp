#include "admin/managed_zone.hpp"

#include "admin/safe_file.hpp"
#include "shun/zone/gzip.hpp"
#include "shun/zone/load.hpp"

#include <algorithm>
#include <sstream>
#include <stdexcept>

namespace shun::admin {

std::string_view trimmed(std::string_view text)
{
  auto first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos)
    return {};
  return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

namespace {

// What a zone file holds and shunctl manages: the operator's keys and exclusions ("!192.0.2.7").
constexpr listing::KeyForms kZoneKeys { true, true, true };

std::string_view bare(std::string_view key)
{
  return key.starts_with('!') ? key.substr(1) : key;
}

// A key spelled otherwise than canonically by a hand edit ("2001:DB8:0::1", "Example.COM."): a focused
// load parses it to see whether it is one of its keys. Canonical IPv4 lines, the bulk of big zones, are not.
bool mayBeRespelled(std::string_view keyText)
{
  return keyText.find(':') != std::string_view::npos || keyText.ends_with('.')
      || std::any_of(keyText.begin(), keyText.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

using Range = std::pair<listing::Ip6Bits, listing::Ip6Bits>;

// The addresses an rbldnsd data line of an IP dataset covers, read as the loader reads it (IPv4 in the
// low bits); nullopt for a line that is no IP entry ("$", ":", comments, names, bad keys).
std::optional<Range> lineRange(std::string_view line, store::DatasetType type)
{
  using store::DatasetType;
  if (!line.empty() && line.front() == '!')
    line.remove_prefix(1);
  if (type == DatasetType::Ip4Set || type == DatasetType::Ip4Trie || type == DatasetType::Ip4TSet) {
    std::string_view key = line.substr(0, listing::ip4KeyLength(line));
    listing::Ip4Range range;
    unsigned length = 0;
    if (type == DatasetType::Ip4Set ? listing::parseIp4SetKey(key, true, range) != nullptr
                                    : listing::parseIp4Cidr(key, true, range.first, length) != nullptr)
      return std::nullopt;
    return Range { range.first,
      type == DatasetType::Ip4Set ? range.last : listing::ip4Last(range.first, length) };
  }
  if (type == DatasetType::Ip6Trie || type == DatasetType::Ip6TSet) {
    std::string_view key = line.substr(0, listing::ip6KeyLength(line));
    listing::Ip6Prefix prefix;
    if (listing::parseIp6Cidr(key, true, prefix) != nullptr)
      return std::nullopt;
    return Range { prefix.first, listing::ip6Last(prefix.first, prefix.length) };
  }
  return std::nullopt;
}

// The data file's text, through a symbolic link only where resolveDataFile allows it; a gzip file is
// decompressed (gzipped set) within the loader's default limits, so it is edited as shund reads it.
std::string readDataFile(const std::string& dataFile, bool& gzipped)
{
  std::string path = resolveDataFile(dataFile);
  std::string bytes = readFileOrEmpty(path);
  gzipped = zone::isGzip(bytes);
  if (!gzipped)
    return bytes;
  zone::LoadOptions defaults;
  std::string error;
  auto text = zone::gunzip(bytes, { defaults.gzipMaxBytes, defaults.gzipMaxRatio }, error);
  if (!text)
    throw FileError(path + ": " + error);
  return std::move(*text);
}

} // namespace

ManagedZone ManagedZone::load(const std::string& dataFile, store::DatasetType type)
{
  return loadFocused(dataFile, type, {});
}

ManagedZone ManagedZone::loadFocused(
    const std::string& dataFile, store::DatasetType type, const std::vector<std::string>& focus)
{
  ManagedZone zone;
  zone.d_dataFile = dataFile;
  zone.d_type = type;
  zone.d_focus.insert(focus.begin(), focus.end());
  std::istringstream in(readDataFile(dataFile, zone.d_gzipped));
  std::optional<listing::Listing> pending;
  std::uint32_t number = 0;
  for (std::string line; std::getline(in, line);)
    zone.parseLine(line, ++number, pending);
  listing::JournalContents journal = listing::decodeJournal(readFileOrEmpty(dataFile + ".journal"));
  if (journal.corrupt())
    throw FileError(dataFile + ".journal: corrupt at " + journal.error
        + ". Nothing was written: move the journal aside and keep it, then apply again the changes it holds"
          " from that offset on (shund keeps serving the last good version meanwhile)");
  zone.d_journalCommitted = journal.committedBytes;
  zone.d_journalTorn = journal.tornTail;
  zone.applyJournal(journal);

  std::istringstream history(readFileOrEmpty(dataFile + ".history"));
  for (std::string line; std::getline(history, line);) {
    std::istringstream fields(line);
    std::string key;
    KeyHistory entry;
    if (!(fields >> key >> entry.first >> entry.last >> entry.count >> entry.level))
      continue;
    std::string error;
    auto parsed = listing::parseKey(key, error); // older shunctl wrote IPv6 addresses as "2001:db8::1/128"
    zone.d_history[parsed ? parsed->text : key] = entry;
  }
  return zone;
}

void ManagedZone::parseLine(
    const std::string& raw, std::uint32_t number, std::optional<listing::Listing>& pending)
{
  std::string where = d_dataFile + ":" + std::to_string(number);
  std::string line(trimmed(raw));
  std::string error;
  auto keepVerbatim = [&] {
    d_lines.push_back(raw);
    d_lineEntry.push_back(-1);
  };
  listing::Directive directive = listing::parseDirective(line);
  using Kind = listing::Directive::Kind;
  bool managed
      = directive.kind == Kind::Policy || directive.kind == Kind::Protect || directive.kind == Kind::Metadata;
  if (managed && !directive.error.empty())
    throw std::runtime_error(where + ": " + directive.error);
  if (directive.kind == Kind::Policy)
    d_policy = directive.policy;
  if (directive.kind == Kind::Protect)
    d_protected.push_back(std::move(directive.protect));
  if (directive.kind == Kind::Metadata) {
    pending = std::move(directive.metadata);
    return; // written again in front of its entry by render()
  }
  if (directive.kind != Kind::None)
    return keepVerbatim(); // #@policy, #@protect, and the web page's #@selfremoval and #@code
  bool special = line.empty() || line[0] == '#' || line[0] == ';' || line[0] == '$'
      || (line[0] == ':' && !line.starts_with("::")); // "::1" is an IPv6 key; "!key" an exclusion
  std::string keyText = line.substr(0, line.find_first_of(" \t"));
  bool unfocused = !special && !d_focus.empty() && !d_focus.count(keyText);
  if (unfocused && !mayBeRespelled(keyText)) {
    pending.reset(); // not one of the keys this command changes: no need to parse it
    return;
  }
  auto key = special ? std::nullopt : listing::parseKey(keyText, error, kZoneKeys);
  if (unfocused && (!key || !d_focus.count(key->text))) {
    pending.reset();
    return;
  }
  if (key && !fitsDataset(*key, d_type, error))
    key.reset();
  if (!key) { // rbldnsd forms shunctl does not manage (ranges, partial octets, comments) stay as they are
    pending.reset();
    return keepVerbatim();
  }
  ManagedEntry entry;
  entry.key = *key;
  entry.value = trimmed(std::string_view(line).substr(keyText.size()));
  entry.listing = pending.value_or(listing::Listing {});
  entry.line = number;
  pending.reset();
  auto existing = d_byKey.find(key->text);
  if (existing != d_byKey.end()) // an rbldnsd duplicate: the first one is the one served
    return keepVerbatim();
  d_byKey[key->text] = d_entries.size();
  d_lines.emplace_back();
  d_lineEntry.push_back(static_cast<std::int64_t>(d_entries.size()));
  d_entries.push_back(std::move(entry));
}

void ManagedZone::applyJournal(const listing::JournalContents& journal)
{
  for (const auto& record : journal.records) {
    std::string error;
    auto key = listing::parseKey(record.key, error, kZoneKeys);
    if (!key)
      continue; // written by shunctl from a parsed key: cannot happen short of hand edits
    touch(*key);
    d_journalKeys.insert(key->text);
    d_journalBareKeys.insert(std::string(bare(key->text)));
    if (record.kind == listing::JournalRecord::Kind::Remove) {
      remove(*key, record.listing);
      continue;
    }
    ManagedEntry entry;
    entry.key = *key;
    std::string line(trimmed(record.entryLine));
    entry.value = trimmed(std::string_view(line).substr(std::min(line.size(), line.find_first_of(" \t"))));
    entry.listing = record.listing;
    upsert(std::move(entry));
  }
}

const ManagedEntry* ManagedZone::find(const listing::Key& key) const
{
  auto it = d_byKey.find(key.text);
  return it == d_byKey.end() || d_entries[it->second].removed ? nullptr : &d_entries[it->second];
}

listing::JournalRecord ManagedZone::upsert(ManagedEntry entry)
{
  touch(entry.key);
  listing::JournalRecord record;
  record.key = zoneSpelling(entry.key, d_type);
  record.entryLine = entry.value.empty() ? record.key : record.key + " " + entry.value;
  record.listing = entry.listing;
  auto it = d_byKey.find(entry.key.text);
  if (it != d_byKey.end()) {
    d_entries[it->second] = std::move(entry);
    return record;
  }
  d_byKey[entry.key.text] = d_entries.size();
  d_lines.emplace_back();
  d_lineEntry.push_back(static_cast<std::int64_t>(d_entries.size()));
  d_entries.push_back(std::move(entry));
  return record;
}

std::optional<listing::JournalRecord> ManagedZone::remove(
    const listing::Key& key, const listing::Listing& why)
{
  auto it = d_byKey.find(key.text);
  if (it == d_byKey.end() || d_entries[it->second].removed)
    return std::nullopt;
  d_entries[it->second].removed = true;
  touch(key);
  listing::JournalRecord record;
  record.kind = listing::JournalRecord::Kind::Remove;
  record.key = zoneSpelling(key, d_type);
  record.listing = why;
  return record;
}

std::size_t ManagedZone::pruneExpired(std::int64_t now)
{
  std::size_t pruned = 0;
  for (auto& entry : d_entries) {
    if (!entry.removed && entry.listing.expires != 0 && entry.listing.expires <= now) {
      entry.removed = true;
      ++pruned;
    }
  }
  return pruned;
}

void ManagedZone::touch(const listing::Key& key)
{
  if (key.family == listing::Key::Family::Ip4)
    d_touched.emplace(key.v4First, key.v4Last);
  else if (key.family == listing::Key::Family::Ip6)
    d_touched.emplace(key.v6First, key.v6Last);
}

// True for a line the loader would not serve after the journal: an exclusion, a duplicate or another
// spelling of a key a record changed (what zone::DatasetLoader::forgetKeys erases).
bool ManagedZone::replacedByJournal(const std::string& line) const
{
  if (d_touched.empty())
    return false;
  auto range = lineRange(trimmed(line), d_type);
  return range && d_touched.count(*range) != 0;
}

bool ManagedZone::shadowedByJournal(const ManagedEntry& entry) const
{
  return d_journalBareKeys.count(std::string(bare(entry.key.text))) && !d_journalKeys.count(entry.key.text);
}

std::string ManagedZone::render() const
{
  std::string out;
  for (std::size_t i = 0; i < d_lines.size(); ++i) {
    if (d_lineEntry[i] < 0) {
      if (!replacedByJournal(d_lines[i]))
        out += d_lines[i] + '\n';
      continue;
    }
    const ManagedEntry& entry = d_entries[static_cast<std::size_t>(d_lineEntry[i])];
    if (entry.removed || shadowedByJournal(entry))
      continue;
    if (!(entry.listing == listing::Listing {}))
      out += listing::formatMetadata(entry.listing) + '\n';
    std::string key = zoneSpelling(entry.key, d_type);
    out += entry.value.empty() ? key + '\n' : key + " " + entry.value + '\n';
  }
  return out;
}

std::string ManagedZone::renderHistory() const
{
  std::string out;
  for (const auto& [key, history] : d_history)
    out += key + " " + std::to_string(history.first) + " " + std::to_string(history.last) + " "
        + std::to_string(history.count) + " " + std::to_string(history.level) + "\n";
  return out;
}

std::vector<const ManagedEntry*> ManagedZone::entries() const
{
  std::vector<const ManagedEntry*> out;
  for (const auto& entry : d_entries)
    if (!entry.removed)
      out.push_back(&entry);
  return out;
}

std::string ManagedZone::origin(const ManagedEntry& entry) const
{
  return entry.line ? d_dataFile + ":" + std::to_string(entry.line) : d_dataFile + ".journal";
}

KeyHistory ManagedZone::history(const listing::Key& key) const
{
  auto it = d_history.find(key.text);
  return it == d_history.end() ? KeyHistory {} : it->second;
}

} // namespace shun::admin
