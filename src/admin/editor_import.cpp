#include "admin/editor_steps.hpp"
#include "admin/safe_file.hpp"
#include "shun/admin/editor.hpp"
#include "shun/listing/directives.hpp"

#include <sstream>

namespace shun::admin {
namespace {

// One line of an import file that carries an entry, or that is bad (then key is empty).
struct ImportLine {
  std::optional<ManagedEntry> entry;
  KeyResult result;
};

// An entry line: its key and value, checked for the dataset and for a listing that has not ended yet.
ImportLine entryLine(std::string_view text, const std::string& where,
    const std::optional<listing::Listing>& meta, const ZoneTarget& target, const ImportOptions& options,
    std::int64_t now)
{
  std::string keyText(text.substr(0, text.find_first_of(" \t")));
  ImportLine line;
  line.result = { keyText, Outcome::Done, "", where, 0 };
  Refusal refusal;
  auto key = keyText[0] == '!' ? std::nullopt : guardedKey(keyText, target.type, refusal);
  if (keyText[0] == '!')
    refusal = { Outcome::BadArgument, "exclusions (" + keyText + ") are not imported" };
  listing::Listing listing = meta.value_or(listing::Listing {});
  auto expired = key ? guardExpiry("expires=", listing.expires, now) : std::nullopt;
  if (key && !expired)
    expired = guardTestPointExpiry(*key, listing.expires);
  if (expired) {
    refusal = *expired;
    key.reset();
  }
  if (!key) {
    line.result.outcome = refusal.outcome;
    line.result.reason = refusal.reason;
    return line;
  }
  if (listing.added == 0)
    listing.added = now;
  if (listing.source.empty())
    listing.source = options.source.empty() ? "import" : options.source;
  line.result.key = key->text;
  line.result.expires = listing.expires;
  line.entry = ManagedEntry { *key, std::string(trimmed(text.substr(keyText.size()))), listing, false };
  return line;
}

// Every entry and every bad line of the file, in file order. Zone settings ($ lines, ":" default values,
// "#@" directives other than metadata) and comments are not entries.
std::vector<ImportLine> readImport(const ZoneTarget& target, const ImportOptions& options, std::int64_t now)
{
  std::vector<ImportLine> lines;
  std::istringstream in(readOperatorFile(options.file));
  std::optional<listing::Listing> pending;
  std::uint32_t number = 0;
  for (std::string raw; std::getline(in, raw);) {
    std::string where = options.file + ":" + std::to_string(++number);
    std::string_view text = trimmed(raw);
    listing::Directive directive = listing::parseDirective(text);
    if (directive.kind == listing::Directive::Kind::Metadata) {
      pending.reset();
      if (directive.error.empty())
        pending = std::move(directive.metadata);
      else
        lines.push_back({ std::nullopt, { "", Outcome::BadArgument, directive.error, where, 0 } });
      continue;
    }
    // As the loader reads it: ":value" is a default value, but "::1" is an IPv6 entry.
    bool setting = text.empty() || text[0] == '#' || text[0] == ';' || text[0] == '$'
        || (text[0] == ':' && !text.starts_with("::"));
    if (!setting)
      lines.push_back(entryLine(text, where, pending, target, options, now));
    pending.reset();
  }
  return lines;
}

} // namespace

EditResult ZoneEditor::importFile(const ImportOptions& options, std::int64_t now) const
{
  EditResult result;
  result.dryRun = options.dryRun;
  try {
    std::vector<ImportLine> lines = readImport(d_target, options, now);
    std::vector<listing::Key> keys;
    for (const ImportLine& line : lines)
      if (line.entry)
        keys.push_back(line.entry->key);
    ZoneLock lock(d_target.dataFile);
    ManagedZone zone
        = ManagedZone::loadFocused(d_target.dataFile, d_target.type, focusOf(keys, d_target.type));
    for (ImportLine& line : lines) {
      if (!line.entry)
        continue;
      if (auto refusal = guardKey(Writer::Import, line.entry->key, zone, options.force)) {
        line.result.outcome = refusal->outcome;
        line.result.reason = refusal->reason;
        line.entry.reset();
      }
    }
    std::vector<listing::JournalRecord> records;
    for (ImportLine& line : lines) {
      result.keys.push_back(line.result);
      if (line.entry)
        records.push_back(zone.upsert(std::move(*line.entry)));
      else
        ++result.skipped;
    }
    if (result.skipped && !options.skipInvalid) {
      result.outcome = gravest(result.keys);
      result.skipped = 0;
      return result; // nothing is written unless every line is valid
    }
    result.changed = records.size();
    if (!options.dryRun && !records.empty())
      writeChanges(zone, records, lock.owner());
  } catch (const std::exception& error) {
    return rejected(Outcome::Failed, error.what());
  }
  return result;
}

} // namespace shun::admin
