#pragma once

#include "shun/store/dataset.hpp"
#include "shun/zone/load.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace shun::zone {

/// How far a load reads shunctl's journal: `limit` in (bytes it may read), what it applied out. The bytes
/// before `committed` never change while the journal keeps its inode (shunctl only appends), which is
/// how a later load finds the change set that follows (zone/journal_changes.hpp).
struct JournalRead {
  static constexpr std::size_t kAll = static_cast<std::size_t>(-1);
  static constexpr std::size_t kCheckedBytes = 64; ///< lastBytes: enough to hold the last commit line
  std::size_t limit = kAll;
  std::size_t committed = 0; ///< bytes of complete blocks applied
  std::string lastBytes; ///< the up to kCheckedBytes bytes that end at committed
};

/// Parses the lines of one dataset's files (rbldnsd syntax) into a store::Dataset. One loader thread.
/// Bad lines are reported to diagnostics and skipped; fatal problems make failed() true.
class DatasetLoader {
public:
  /// dataset.type, files and spec must be set; diagnostics outlives the loader.
  DatasetLoader(store::Dataset& dataset, const LoadOptions& options, std::vector<Diagnostic>& diagnostics);
  ~DatasetLoader();
  DatasetLoader(const DatasetLoader&) = delete;
  DatasetLoader& operator=(const DatasetLoader&) = delete;

  /// Starts file number fileIndex of the dataset: resets the per-file default value and metadata.
  void beginFile(std::uint32_t fileIndex, const std::string& fileName);
  /// Parses one line (without its newline); number counts from 1.
  void line(std::string_view text, std::uint32_t number);
  /// Reports line number as longer than limit bytes (prefix: its first bytes) and skips it.
  void lineTooLong(std::string_view prefix, std::uint32_t number, std::size_t limit);
  /// Adds one diagnostic counting the problems left out past the per-dataset cap, if any.
  void summarizeSuppressed();
  /// Describes the next entry as a "#@" line at number would: how journal records, which carry their
  /// metadata as a structure, are loaded without formatting and parsing it again.
  void metadata(listing::Listing listing, std::uint32_t number);
  /// Ends the current file (reports metadata not followed by an entry).
  void endFile();
  /// Applies shunctl's journal for the data file just read: each journalled key replaces or removes that
  /// key's entries (journal_apply.cpp). A missing journal is no journal.
  void applyJournal(const std::string& journalPath, JournalRead* read = nullptr);
  /// Parses what follows as lines appended after a loaded dataset's file (a change set): with its default
  /// value, variables and base template. Call after beginFile.
  void seedLineContext(const store::LineContext& context);
  /// Reports a fatal problem: the dataset is to be left empty.
  void fail(std::uint32_t line, std::string message);
  bool failed() const { return d_failed; }
  /// Builds the maps and compiles the values. Call once, after the last file.
  void finish();

private:
  /// Origins number the lines of every file (and journal) on from the previous file's, so they ascend in
  /// reading order and name their file and line without a table per entry: origin base + n is line n.
  struct OriginFile {
    std::uint32_t base;
    std::string name;
  };
  struct Deferred; // tset entry waiting for the dataset-wide value
  struct Combined; // combined: sub-dataset loaders

  void report(std::uint32_t line, std::string message, bool error = true);
  void metadataLine(std::string_view text, std::uint32_t number);
  void defaultLine(std::string_view text, std::uint32_t number);
  void entryLine(std::string_view text, std::uint32_t number);
  bool entryValue(std::string_view rest, std::uint32_t number, store::ValueId& id);
  std::uint32_t takeListing();
  std::uint32_t origin(std::uint32_t number);
  void beginOrigins(const std::string& fileName);
  void reportDuplicates(const std::vector<std::uint32_t>& dropped);
  std::uint32_t clampTtl(std::uint32_t ttl) const;
  // specials ($SOA, $NS, $TTL, ...), in dataset_specials.cpp
  void special(std::string_view text, std::uint32_t number);
  bool soaSpecial(std::string_view args, std::uint32_t number);
  bool nsSpecial(std::string_view args, std::uint32_t number);
  bool maxRangeSpecial(std::string_view args);
  bool timestampSpecial(std::string_view args, std::uint32_t number);
  // entries per type, in ip_entries.cpp and name_entries.cpp
  void ip4Entry(std::string_view line, bool exclusion, std::uint32_t number);
  void ip4SetEntry(std::string_view key, std::string_view rest, bool exclusion, std::uint32_t number);
  void ip4TrieEntry(std::string_view key, std::string_view rest, bool exclusion, std::uint32_t number);
  void addIp4Range(
      store::Ip4 first, store::Ip4 last, std::string_view rest, bool exclusion, std::uint32_t number);
  void addIp4Prefix(
      store::Ip4 first, unsigned length, std::string_view rest, bool exclusion, std::uint32_t number);
  void ip4TSetEntry(std::string_view key, bool exclusion, std::uint32_t number);
  void ip6TrieEntry(std::string_view key, std::string_view rest, bool exclusion, std::uint32_t number);
  void ip6TSetEntry(std::string_view key, bool exclusion, std::uint32_t number);
  void aclEntry(std::string_view line, bool exclusion, std::uint32_t number);
  void dnsetEntry(std::string_view line, bool exclusion, std::uint32_t number);
  void genericEntry(std::string_view line, std::uint32_t number);
  bool aclValue(std::string_view text, store::Value& value);
  bool checkMaxRange(std::uint64_t addresses, std::uint32_t number);
  void buildMaps();
  void recordLineContext();
  void forgetKeys(const std::unordered_map<std::string, std::size_t>& keys);
  // combined, in combined_loader.cpp
  void combinedLine(std::string_view text, std::uint32_t number, bool isSpecial);
  void startSubDataset(std::string_view args, std::uint32_t number);
  void finishCombined();

  store::Dataset& d_dataset;
  const LoadOptions& d_options;
  std::vector<Diagnostic>& d_diagnostics;
  bool d_failed = false;
  std::size_t d_reported = 0; ///< diagnostics this loader added
  std::size_t d_suppressed = 0; ///< left out past kMaxReports
  bool d_suppressedError = false;
  std::uint32_t d_file = 0;
  std::string d_fileName;

  store::Value d_default; ///< the current default A/TXT
  bool d_defaultSeen = false; ///< tsets: the first default line wins for the whole dataset
  std::optional<store::ValueId> d_defaultId; ///< interned d_default, while it has no listing
  std::string d_lastText; ///< value text of the previous entry, to reuse its id without interning
  std::optional<store::ValueId> d_lastId;
  std::uint32_t d_pendingListing = 0; ///< index into d_dataset.listings for the next entry; 0: none
  std::uint32_t d_pendingLine = 0;

  std::vector<std::string> d_vars = std::vector<std::string>(10);
  std::string d_baseTemplate;
  bool d_hasBaseTemplate = false;
  bool d_ttlSeen = false;
  std::uint32_t d_genericTtl = 0; ///< generic: $TTL in force at this point of the file
  std::uint64_t d_maxRange4 = std::uint64_t { 1 } << 32;
  bool d_hasTimestamp = false;

  std::unique_ptr<store::Ip4MapBuilder> d_ip4;
  store::Ip6MapBuilder d_ip6;
  store::NameSetBuilder d_names;
  std::unordered_map<std::string, std::uint8_t> d_journalNameForms; ///< dnset: wire -> NameKeyForm bits
  bool d_irregularIpKeys = false; ///< LineContext::irregularIpKeys
  std::vector<store::GenericRecord> d_records;
  std::vector<OriginFile> d_originFiles;
  std::uint32_t d_originBase = 0; ///< of the file being read
  std::uint32_t d_originEnd = 0; ///< the highest origin handed out
  std::vector<Deferred> d_deferred;
  /// ip6tset: the value id its streamed entries carry until finish() knows the dataset-wide value.
  static constexpr store::ValueId kTSetValue = store::kNoPayload - 1;
  bool d_tsetStreamed = false; ///< some entry carries kTSetValue
  std::unique_ptr<Combined> d_combined;
};

/// A tset entry waiting for the dataset-wide value (the first default line may come after it): ip4tset
/// entries, and ip6tset entries with #@ metadata (the others stream into the map, see kTSetValue).
struct DatasetLoader::Deferred {
  store::Ip6 first, last; ///< IPv4 entries use the low 32 bits
  std::uint8_t priority;
  bool exclusion;
  std::uint32_t listing;
  std::uint32_t origin;
};

/// The sub-dataset loaders of a combined dataset, parallel to Dataset::children.
struct DatasetLoader::Combined {
  std::vector<std::unique_ptr<DatasetLoader>> loaders;
  DatasetLoader* current = nullptr; ///< the section being read; nullptr: the common section
};

/// The placeholder value of an acl keyword action (A 0.0.0.0, never a real answer).
store::Value aclKeywordValue(store::AclAction action);

/// Loads every file of dataset (type, spec and files set) and builds it. On a fatal problem the dataset
/// is left empty and the problem is reported with line 0 or its line.
/// journal (optional) limits and reports the journal read.
void loadDataset(store::Dataset& dataset, const LoadOptions& options, std::vector<Diagnostic>& diagnostics,
    JournalRead* journal = nullptr);

} // namespace shun::zone
