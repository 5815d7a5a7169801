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

/// Records of every committed block of a journal, in order; a torn or corrupt tail is skipped.
struct JournalContents {
  std::vector<JournalRecord> records;
  std::size_t committedBytes = 0; ///< length of the valid prefix
  bool tornTail = false; ///< bytes after the last commit line were ignored
  std::string error; ///< a committed block that does not parse (should not happen)
};

/// Decodes a journal written by encodeJournalBlock.
JournalContents decodeJournal(std::string_view text);

} // namespace shun::listing
