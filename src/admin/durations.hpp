#pragma once

#include "shun/listing/directives.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace shun::admin {

/// Parses a duration such as "90", "30m", "12h", "7d", "2w" or "1w2d12h" into seconds (a bare number is
/// seconds). Returns nullopt for anything else, zero included.
std::optional<std::int64_t> parseDuration(std::string_view text);

/// Formats seconds the way parseDuration reads them, largest units first ("1w2d", "90s").
std::string formatDuration(std::int64_t seconds);

using listing::EscalationPolicy; // "#@policy", parsed by listing::parseDirective

/// The outcome of escalation: how long the new listing lasts and its escalation level (0: first offence
/// or the previous listing is older than the window).
struct Escalation {
  std::int64_t duration = 0;
  std::uint32_t level = 0;
};

/// Duration of a new listing for a key whose previous listing (if any: previousListed > 0, unix seconds)
/// had escalation level previousLevel. Pure arithmetic: now is passed in.
Escalation escalate(const EscalationPolicy& policy, std::uint32_t previousLevel, std::int64_t previousListed,
    std::int64_t now);

} // namespace shun::admin
