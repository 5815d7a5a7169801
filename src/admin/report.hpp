#pragma once

#include "admin/managed_zone.hpp"
#include "admin/served.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace shun::admin {

/// The served (unexpired) entry that answers for key: the exact entry, else the narrowest one covering it.
const ManagedEntry* coveringEntry(const ManagedZone& zone, const listing::Key& key, std::int64_t now);

/// The served exclusion ("!192.0.2.0/28") that carves key out of the entries covering it: the narrowest.
const ManagedEntry* coveringExclusion(const ManagedZone& zone, const listing::Key& key, std::int64_t now);

/// One line: "listed 192.0.2.7 in bl.example until 2026-11-29T10:00:00Z (7d)".
std::string describeListing(
    const std::string& zone, const std::string& key, std::int64_t expires, std::int64_t now);

/// What `shunctl show` reports about a key.
struct ShowFacts {
  /// the managed entry answering for it (with its metadata), if any; not listed: the entry the exclusion
  /// excepts it from, if any
  const ManagedEntry* entry = nullptr;
  std::string entryOrigin; ///< ManagedZone::origin of entry: "bl.zone:12", "bl.zone.journal"
  std::optional<ServedAnswer> served; ///< what shund answers for it; nullopt: not listed
  const ManagedEntry* exclusion = nullptr; ///< not listed: the exclusion that excepts it, if any
  std::string exclusionOrigin;
  KeyHistory history;
};

/// `shunctl show` output, as text lines or one JSON object.
std::string showText(
    const std::string& zone, const listing::Key& key, const ShowFacts& facts, std::int64_t now);
std::string showJson(
    const std::string& zone, const listing::Key& key, const ShowFacts& facts, std::int64_t now);

/// `shunctl list` output: an aligned table with a header, or a JSON array.
std::string listTable(const std::vector<const ManagedEntry*>& entries);
std::string listJson(const std::vector<const ManagedEntry*>& entries, std::int64_t now);

} // namespace shun::admin
