#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace shun::listing {

/// Accountability metadata of one listing, carried in a "#@ key=value ..." comment line placed before the
/// entry it describes (rbldnsd ignores such lines). Times are unix seconds; 0 means unset.
struct Listing {
  std::int64_t added = 0;
  std::int64_t expires = 0;
  std::uint32_t ttl = 0; ///< answer TTL in seconds; 0: dataset default.
  std::string source;
  std::string by;
  std::string reason; ///< public reason
  std::string evidence; ///< public evidence (free text)
  std::uint32_t timesListed = 0; ///< "count" key: how often this key has been listed.
  std::int64_t firstAdded = 0; ///< "first" key: when it was first listed.
  std::vector<std::pair<std::string, std::string>> extra; ///< unknown keys, kept in order.

  bool operator==(const Listing&) const = default;
};

/// Parses the text after "#@". Returns nullopt and sets error (a one-line reason) on malformed input.
std::optional<Listing> parseMetadata(std::string_view text, std::string& error);

/// Formats a listing as a full "#@ ..." line (no newline) that parseMetadata reads back unchanged.
std::string formatMetadata(const Listing& listing);

/// How a number without a unit after a unit reads: rbldnsd's zone files take "1h30" as 1h30s; command lines
/// and shunctl refuse it as ambiguous.
enum class BareTail { Seconds, Refused };

/// Seconds from a duration: "30", "35m", "1h30m", "2d", "1w" (units s m h d w in either case, summed).
/// nullopt if malformed or over UINT32_MAX. The one duration syntax of zone files, metadata and tools.
std::optional<std::uint32_t> parseDuration(std::string_view text, BareTail bareTail = BareTail::Seconds);

/// A TTL from the command line or shunctl: seconds ("300") or a duration ("5m", "1h30m"; "1h30" refused), at
/// most 2^31-1 (RFC 2181 section 8). nullopt otherwise.
std::optional<std::uint32_t> parseTtl(std::string_view text);

/// Parses "2026-11-20T10:00:00Z" (UTC). Returns nullopt if malformed.
std::optional<std::int64_t> parseUtcTime(std::string_view text);
/// Formats unix seconds as "2026-11-20T10:00:00Z".
std::string formatUtcTime(std::int64_t unixSeconds);

} // namespace shun::listing
