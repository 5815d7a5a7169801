#pragma once

#include "shun/listing/journal.hpp"
#include "shun/store/overlay.hpp"
#include "shun/zone/load.hpp"

#include <functional>
#include <memory>
#include <string_view>
#include <vector>

namespace shun::zone {

/// True if an added line lists the record's key itself (not an exclusion, not another spelling).
bool lineListsKey(std::string_view line, std::string_view key);

/// Parses the deciding added records (deciding(record, index)) as a full load parses the journal after
/// base's file: the change set's part of an overlay, its tables with base's TTL and $TIMESTAMP.
std::shared_ptr<store::OverlayPart> parseChangeSetPart(const store::Dataset& base,
    const std::vector<listing::JournalRecord>& records, const LoadOptions& options,
    std::vector<Diagnostic>& diagnostics,
    const std::function<bool(const listing::JournalRecord&, std::size_t)>& deciding);

/// The dataset current becomes: base's header and an overlay of these changes on base, holding part and
/// the parts of current's overlay that are still used.
std::shared_ptr<const store::Dataset> overlaid(const std::shared_ptr<const store::Dataset>& current,
    const store::Dataset& base, std::shared_ptr<const store::OverlayPart> part,
    std::vector<store::Overlay::Ip4Change> ip4, std::vector<store::Overlay::NameChange> names);

/// applyChangeSet for a dnset (change_set_names.cpp).
std::shared_ptr<const store::Dataset> applyNames(const std::shared_ptr<const store::Dataset>& current,
    const store::Dataset& base, const std::vector<listing::JournalRecord>& records,
    const LoadOptions& options, std::vector<Diagnostic>& diagnostics);

} // namespace shun::zone
