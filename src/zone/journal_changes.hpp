#pragma once

#include "shun/listing/journal.hpp"
#include "shun/store/dataset.hpp"
#include "shun/zone/load.hpp"
#include "zone/dataset_loader.hpp"
#include "zone/file_stamp.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace shun::zone {

/// The records shunctl committed to a dataset's journal after a load read it up to some point.
struct JournalChanges {
  std::vector<listing::JournalRecord> records; ///< in journal order
  JournalRead through; ///< the journal read up to the end of these records (limit = committed)
  std::int64_t journalMtime = 0; ///< unix seconds; the dataset's newestMtime moves up to it (serial 0)
};

/// The blocks committed to journal `path` after `from`, if it only grew since (same inode as `fromStamp`,
/// the bytes before from.committed unchanged); nullopt if it was replaced, shrank or vanished (then the
/// dataset is reloaded whole). A change set without records: nothing complete was appended yet. until:
/// read no further than this offset (the end of a committed block), as far as the journal goes by default.
std::optional<JournalChanges> readJournalChanges(const std::string& path, const FileStamp& fromStamp,
    const JournalRead& from, std::size_t until = JournalRead::kAll);

/// The dataset `previous` becomes with `changes` applied; diagnostics as a full load of it would give.
/// Tries the incremental path (applyChangeSet: an overlay on the shared base) first; where it declines
/// (nullptr), rebuilds the dataset from its files and its journal through the end of `changes`, which also
/// merges any overlay.
std::shared_ptr<const store::Dataset> applyJournalChanges(
    const std::shared_ptr<const store::Dataset>& previous, const JournalChanges& changes,
    const LoadOptions& options, std::vector<Diagnostic>& diagnostics);

} // namespace shun::zone
