#pragma once

#include "shun/listing/journal.hpp"
#include "shun/store/dataset.hpp"
#include "shun/zone/load.hpp"

#include <cstddef>
#include <memory>
#include <vector>

namespace shun::zone {

/// Most changed addresses an overlay holds (a 100k-key `shunctl add -f -` batch fits); a change set that
/// would pass it gets nullptr from applyChangeSet, and the caller merges by loading the dataset anew.
inline constexpr std::size_t kMaxOverlayChanges = 262144;

/// An overlay holding more changes than this is merged into a new base in the background
/// (IncrementalLoader): each change set copies the overlay, so its cost grows with it.
inline constexpr std::size_t kMergeAt = 8192;

/// Applies journal records (in journal order) to current, a dataset loaded from its file and journal or
/// an earlier result of this function, in time proportional to the change: returns a new dataset sharing
/// current's immutable base, holding every change since that base in an overlay (store::Ip4Overlay), that
/// answers exactly as loadDataset of the file and the whole journal would. Returns nullptr where that
/// cannot be exact (not an ip4set/ip4trie/ip4tset of one file, a key other than one IPv4 address in
/// dotted-quad form, an ip4set address a level-32 range covers) or when the overlay would pass
/// kMaxOverlayChanges: the caller then loads the dataset anew. Bad lines are reported to diagnostics.
std::shared_ptr<const store::Dataset> applyChangeSet(const std::shared_ptr<const store::Dataset>& current,
    const std::vector<listing::JournalRecord>& records, const LoadOptions& options,
    std::vector<Diagnostic>& diagnostics);

} // namespace shun::zone
