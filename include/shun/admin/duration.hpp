#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace shun::admin {

/// Parses a listing duration such as "90s", "30m", "12h", "7d", "2w" or "1w2d12h" into seconds. Every
/// number needs its unit ("7" could mean seconds or days). Returns nullopt for anything else, zero included.
std::optional<std::int64_t> parseDuration(std::string_view text);

/// Parses an end time: "2026-12-31T12:00:00Z", "2026-12-31" (midnight UTC) or unix seconds.
std::optional<std::int64_t> parseEndTime(std::string_view text);

/// Formats seconds the way parseDuration reads them, largest units first ("1w2d", "90s").
std::string formatDuration(std::int64_t seconds);

} // namespace shun::admin
