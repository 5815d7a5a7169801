#pragma once

#include "shun/listing/journal.hpp"
#include "shun/store/overlay.hpp"
#include "shun/zone/load.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

namespace shun::zone {

/// The address and prefix length of an IPv4 journal key in the one spelling shunctl writes ("a.b.c.d",
/// or "a.b.c.d/len" with len below 32; ip4set: 8, 16 or 24, one octet block), so that a key and the
/// range of its entries name each other; nullopt for any other key (an exclusion's "!key" included).
std::optional<std::pair<store::Ip4, unsigned>> regularIp4Key(std::string_view key, store::DatasetType type);

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
    std::vector<store::Overlay::Ip4Change> ip4, std::vector<store::Overlay::NameChange> names,
    std::shared_ptr<const store::Ip4RangeLayer> ranges = nullptr,
    std::vector<store::Overlay::Ip6Change> ip6 = {});

/// The first address and length of an IPv6 journal key spelled as shunctl writes it (the canonical
/// address, "/len" below 128); nullopt for any other key.
std::optional<std::pair<store::Ip6, unsigned>> regularIp6Key(std::string_view key);

/// applyChangeSet for an ip6trie or ip6tset (change_set_ranges.cpp).
std::shared_ptr<const store::Dataset> applyIp6(const std::shared_ptr<const store::Dataset>& current,
    const store::Dataset& base, const std::vector<listing::JournalRecord>& records,
    const LoadOptions& options, std::vector<Diagnostic>& diagnostics);

/// The range layer after a change set: previous's (null: the base's ranges alone) less the entries at an
/// erased range (the ranges of the change set's keys), with part's ranges after them; rebuilt only inside
/// windows around the changed keys (store::Ip4RangeLayer), in time proportional to the entries there.
std::shared_ptr<const store::Ip4RangeLayer> rebuildRangeLayer(const store::Dataset& base,
    const store::Ip4RangeLayer* previous, const std::set<std::pair<store::Ip4, store::Ip4>>& erased,
    std::shared_ptr<const store::OverlayPart> part);

/// True if base's range entries hold one of the single address ip (an excluded single, say).
bool hasSingleEntry(const store::Dataset& base, store::Ip4 ip);

/// applyChangeSet for a dnset (change_set_names.cpp).
std::shared_ptr<const store::Dataset> applyNames(const std::shared_ptr<const store::Dataset>& current,
    const store::Dataset& base, const std::vector<listing::JournalRecord>& records,
    const LoadOptions& options, std::vector<Diagnostic>& diagnostics);

} // namespace shun::zone
