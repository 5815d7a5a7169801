#pragma once

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

} // namespace shun::admin
