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
/// (IncrementalLoader): lookups and each change set's copy of the entries grow with it.
inline constexpr std::size_t kMergeAt = 8192;

/// Applies journal records (in journal order) to current, a dataset loaded from its file and journal or
/// an earlier result of this function, in time proportional to the change: returns a new dataset sharing
/// current's immutable base, holding every change since that base in an overlay (store::Overlay), that
/// answers exactly as loadDataset of the file and the whole journal would. A change set copies the
/// overlay's entries (a few words each: the values stay in the part of the change set that parsed them)
/// and parses only its own lines. Returns nullptr where that cannot be exact, and the caller then loads the
/// dataset anew:
/// - not an ip4set/ip4trie/ip4tset/dnset of one file (IPv6 and the parts of combined are rebuilt: their
///   stores do not keep the entries a hidden prefix would be seen through);
/// - an IPv4 key other than one address or one CIDR prefix as shunctl spells them ("a.b.c.d",
///   "a.b.c.d/len"; ip4set: /24 or shorter, not the level-32 /25-/31), an ip4set address a level-32 range
///   covers, or a change set touching the ranges (store::Ip4RangeLayer, rebuilt only around its keys) after a
///   journal that held other spellings;
/// - a dnset key not in lower case, two spellings of one name ("x", "*.x", ".x") journalled since the file,
///   or a removal of a shape the base lists with a value (its ancestors' empty non-terminals would change);
/// - an added line that is an exclusion or spells the key otherwise;
/// - more than kMaxOverlayChanges changes.
/// Bad lines are reported to diagnostics.
std::shared_ptr<const store::Dataset> applyChangeSet(const std::shared_ptr<const store::Dataset>& current,
    const std::vector<listing::JournalRecord>& records, const LoadOptions& options,
    std::vector<Diagnostic>& diagnostics);

} // namespace shun::zone
