#pragma once

#include "shun/listing/listing.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace shun::listing {

/// One change recorded by shunctl in a zone's journal ("<data file>.journal"), applied by shund on top of
/// the data file until `shunctl expire` folds the journal into the file.
struct JournalRecord {
  enum class Kind { Add, Remove };
  Kind kind = Kind::Add;
  std::string key; ///< the entry's key as written in the zone file ("192.0.2.0/24", "example.com")
  std::string entryLine; ///< Add: the full zone-file line ("192.0.2.7 :2:Listed ...")
  Listing listing; ///< Add: its metadata. Remove: when/by/reason in added/by/reason.
};

/// Encodes records as one block that ends with a commit line carrying the record count and a CRC-32, so a
/// block torn by a crash is recognised and ignored. The block is text in zone-file syntax.
std::string encodeJournalBlock(const std::vector<JournalRecord>& records);

/// The most records encodeJournal puts in one block: a crash loses at most one unfinished block, and a
/// reader never holds more than one block of text that is not yet known to be complete.
constexpr std::size_t kJournalBlockRecords = 4096;

/// Encodes records as consecutive blocks of at most perBlock records each (at least one block).
std::string encodeJournal(
    const std::vector<JournalRecord>& records, std::size_t perBlock = kJournalBlockRecords);

/// Records of every committed block of a journal, in order, up to a torn tail or a corrupt block.
struct JournalContents {
  std::vector<JournalRecord> records;
  std::size_t committedBytes = 0; ///< length of the valid prefix: where the next block is to be written
  /// Bytes after the last commit line that hold no commit line: a write cut short by a crash, never
  /// acknowledged, safe to cut away before the next append.
  bool tornTail = false;
  /// A block whose commit line does not match it (checksum, record count, a record that does not parse):
  /// "byte offset N: reason". Nothing at or after committedBytes (== N) can be trusted; the journal must
  /// not be appended to or dropped.
  std::string error;
  bool corrupt() const { return !error.empty(); }
};

/// Decodes a journal written by encodeJournalBlock. Never throws for bad text.
JournalContents decodeJournal(std::string_view text);

} // namespace shun::listing
