#pragma once

#include "admin/key.hpp"
#include "admin/managed_zone.hpp"
#include "shun/admin/editor.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace shun::admin {

/// The writers of a zone. Each takes its guards from the one table in guards.cpp.
enum class Writer { Add, Import, Remove, SelfRemoval, Expire };

/// Why a writer may not write a key: the outcome (BadArgument or Refused) and a one-line reason.
struct Refusal {
  Outcome outcome = Outcome::Refused;
  std::string reason;
};

/// Parses text as a key for a dataset of type: a malformed key or one of the wrong family is a BadArgument.
std::optional<listing::Key> guardedKey(std::string_view text, store::DatasetType type, Refusal& refusal);

/// The RFC 5782 test-point and #@protect guards of writer for key (force lifts #@protect for the
/// writers that list). nullopt: the key may be written.
std::optional<Refusal> guardKey(Writer writer, const listing::Key& key, const ManagedZone& zone, bool force);

/// The duration guard: a listing must end after now (expires 0: no end); what names the setting
/// ("--until", "expires="). nullopt: fine.
std::optional<Refusal> guardExpiry(std::string_view what, std::int64_t expires, std::int64_t now);

/// True if key covers a positive RFC 5782 test point (127.0.0.2, ::FFFF:7F00:2, "test"), which must stay
/// listed: writers that list give such a key no end unless asked, and refuse one if asked (see below).
bool coversPositiveTestPoint(const listing::Key& key);

/// The test-point expiry guard of the writers that list: a key covering a positive test point is not
/// listed with an end (expires != 0), or it would stop being listed. nullopt: fine.
std::optional<Refusal> guardTestPointExpiry(const listing::Key& key, std::int64_t expires);

/// "--for" guard: a duration must be positive. nullopt: fine.
std::optional<Refusal> guardDuration(std::optional<std::int64_t> seconds);

} // namespace shun::admin
