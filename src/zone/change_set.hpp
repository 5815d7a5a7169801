#pragma once

#include "shun/listing/journal.hpp"
#include "shun/store/dataset.hpp"
#include "zone/file_stamp.hpp"
#include "shun/zone/load.hpp"
#include "zone/dataset_loader.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace shun::zone {

/// The records shunctl committed to a dataset's journal after a load read it up to some point.
struct ChangeSet {
  std::vector<listing::JournalRecord> records; ///< in journal order
  JournalRead through; ///< the journal read up to the end of these records (limit = committed)
  std::int64_t journalMtime = 0; ///< unix seconds; the dataset's newestMtime moves up to it (serial 0)
};

/// The blocks committed to journal `path` after `from`, if it only grew since (same inode as `fromStamp`,
/// the bytes before from.committed unchanged); nullopt if it was replaced, shrank or vanished (then the
/// dataset is reloaded whole). A change set without records: nothing complete was appended yet.
std::optional<ChangeSet> readChangeSet(
    const std::string& path, const FileStamp& fromStamp, const JournalRead& from);

/// The dataset `previous` becomes with `changes` applied; diagnostics as a full load of it would give.
/// Tries applyIncrementally first, else rebuilds from the files and the journal through the change set.
std::shared_ptr<const store::Dataset> applyChangeSet(const std::shared_ptr<const store::Dataset>& previous,
    const ChangeSet& changes, const LoadOptions& options, std::vector<Diagnostic>& diagnostics);

/// The seam for incremental change sets: `previous` with changes applied in time proportional to the
/// change (e.g. an overlay on its immutable base), or nullptr when that cannot be done here (then the
/// dataset is rebuilt). Does not read the dataset's files. Today: always nullptr.
std::shared_ptr<const store::Dataset> applyIncrementally(
    const std::shared_ptr<const store::Dataset>& previous, const ChangeSet& changes,
    const LoadOptions& options);

} // namespace shun::zone
