#pragma once

#include "admin/guards.hpp"
#include "admin/managed_zone.hpp"
#include "admin/safe_file.hpp"
#include "shun/admin/editor.hpp"
#include "shun/listing/journal.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

// Steps shared by the ZoneEditor's operations (editor.cpp, editor_import.cpp).
namespace shun::admin {

/// An edit that failed as a whole (bad option, I/O error) with a one-line reason.
EditResult rejected(Outcome outcome, std::string reason);

/// The edit's outcome from its keys' outcomes: bad argument before refused before not listed.
Outcome gravest(const std::vector<KeyResult>& keys);

/// Parses every key text for the target's dataset; each bad one becomes a BadArgument KeyResult in result
/// (and so does an empty list). nullopt if any is bad.
std::optional<std::vector<listing::Key>> parseAll(
    const std::vector<std::string>& texts, store::DatasetType type, EditResult& result);

/// Runs writer's guards over keys; each refused one becomes a KeyResult in result. False if any is refused.
bool guardAll(Writer writer, const std::vector<listing::Key>& keys, const ManagedZone& zone, bool force,
    EditResult& result, const std::vector<std::string>& where = {});

/// The spellings under which keys appear in a data file written by shunctl (loadFocused's focus).
std::vector<std::string> focusOf(const std::vector<listing::Key>& keys, store::DatasetType type);

/// Removes keys as writer (Remove, SelfRemoval) with why as the removal's metadata: the delisting guards,
/// then each key's own entry (NotListed if it has none). Throws on I/O errors.
EditResult removeAs(Writer writer, const ZoneTarget& target, const std::vector<std::string>& texts,
    const listing::Listing& why);

/// Appends records to the zone's journal and rewrites its history, durably, both given owner.
void writeChanges(
    const ManagedZone& zone, const std::vector<listing::JournalRecord>& records, const FileOwner& owner);

} // namespace shun::admin
