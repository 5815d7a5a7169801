#pragma once

#include "admin/durations.hpp"
#include "admin/key.hpp"
#include "shun/listing/journal.hpp"
#include "shun/listing/listing.hpp"
#include "shun/store/dataset.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace shun::admin {

/// One listed key of a managed zone file, with its metadata.
struct ManagedEntry {
  listing::Key key;
  std::string value; ///< what follows the key on its line (":2:Listed ..."), may be empty
  listing::Listing listing;
  bool removed = false;
  std::uint32_t line = 0; ///< its line in the data file; 0: from the journal
};

/// What a zone remembers about a key across listings, for escalation ("<data file>.history").
struct KeyHistory {
  std::int64_t first = 0; ///< first listed
  std::int64_t last = 0; ///< most recently listed
  std::uint32_t count = 0; ///< times listed
  std::uint32_t level = 0; ///< escalation level of the last listing
};

/// text without its leading and trailing blanks (space, tab, CR); a view into text.
std::string_view trimmed(std::string_view text);

/// The text model of one zone data file as shunctl edits it: every line kept in order, entries indexed
/// by canonical key, zone policy ("#@policy ...") and protected keys ("#@protect KEY reason=...") read from
/// the file, the journal applied on top. Not thread-safe; callers hold the ZoneLock.
class ManagedZone {
public:
  /// Reads dataFile (gunzipped if it is gzip), "<dataFile>.journal" and "<dataFile>.history". Throws
  /// FileError / std::runtime_error with "file:line: reason" for a managed line that does not parse, and
  /// FileError naming the offset for a corrupt journal (nothing may be written after it).
  static ManagedZone load(const std::string& dataFile, store::DatasetType type);
  /// Like load, but keeps only the entries whose key is in focus (canonical spelling) plus the policy
  /// and protected keys: enough for add and remove, which only append to the journal, and fast on a
  /// zone of millions of lines. render() of such a zone is not the whole file.
  static ManagedZone loadFocused(
      const std::string& dataFile, store::DatasetType type, const std::vector<std::string>& focus);

  const ManagedEntry* find(const listing::Key& key) const;
  /// Inserts or replaces the entry for entry.key; returns the journal record that describes it.
  listing::JournalRecord upsert(ManagedEntry entry);
  /// Removes key; returns nullopt if it is not listed.
  std::optional<listing::JournalRecord> remove(const listing::Key& key, const listing::Listing& why);
  /// Drops every entry whose expiry is at or before now; returns how many.
  std::size_t pruneExpired(std::int64_t now);

  /// The data file with every change applied (what `shunctl expire` writes back).
  std::string render() const;
  std::string renderHistory() const;

  std::vector<const ManagedEntry*> entries() const;
  /// Where entry comes from: "<data file>:<line>", or "<data file>.journal" for a journal record.
  std::string origin(const ManagedEntry& entry) const;
  KeyHistory history(const listing::Key& key) const;
  void recordListing(const listing::Key& key, const KeyHistory& history) { d_history[key.text] = history; }
  const std::vector<listing::ProtectedKey>& protectedKeys() const { return d_protected; }
  const listing::EscalationPolicy& policy() const { return d_policy; }
  store::DatasetType type() const { return d_type; }
  const std::string& dataFile() const { return d_dataFile; }
  /// The end of the journal's last complete block: where the next block goes (safe_file appendJournal).
  std::size_t journalCommitted() const { return d_journalCommitted; }
  /// The journal ends in an unfinished block (a crashed write), to be cut away before the next write.
  bool journalTorn() const { return d_journalTorn; }
  /// The data file is gzip: it is written back compressed.
  bool gzipped() const { return d_gzipped; }

private:
  void parseLine(const std::string& line, std::uint32_t number, std::optional<listing::Listing>& pending);
  void applyJournal(const listing::JournalContents& journal);
  void touch(const listing::Key& key);
  bool replacedByJournal(const std::string& line) const;
  bool shadowedByJournal(const ManagedEntry& entry) const;

  std::string d_dataFile;
  std::size_t d_journalCommitted = 0;
  bool d_journalTorn = false;
  bool d_gzipped = false;
  std::unordered_set<std::string> d_focus; ///< empty: every entry
  store::DatasetType d_type = store::DatasetType::Ip4Trie;
  std::vector<std::string> d_lines; ///< verbatim lines; "" + entry index for entry lines
  std::vector<std::int64_t> d_lineEntry; ///< per line: entry index, or -1 for a verbatim line
  std::vector<ManagedEntry> d_entries;
  /// The [first, last] of every IP key a journal record changed (IPv4 in the low bits): a full load
  /// erases every entry of that range before the record applies, so render() drops their lines too.
  std::set<std::pair<listing::Ip6Bits, listing::Ip6Bits>> d_touched;
  std::unordered_map<std::string, std::size_t> d_byKey;
  /// The keys journal records changed, and the same without an exclusion mark: an entry of the file at
  /// such a key in the other form ("!192.0.2.7" against "192.0.2.7") is erased by the load too.
  std::unordered_set<std::string> d_journalKeys, d_journalBareKeys;
  std::map<std::string, KeyHistory> d_history;
  std::vector<listing::ProtectedKey> d_protected;
  listing::EscalationPolicy d_policy;
};

} // namespace shun::admin
