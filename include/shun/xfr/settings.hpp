#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace shun::xfr {

/// One zone's own transfer access (xfr-allow and xfr-key values that name it). An empty list means the
/// server-wide one (Settings::allow, Settings::keys) applies to the zone.
struct ZoneAccess {
  std::vector<std::string> allow; ///< ranges as Settings::allow
  std::vector<std::string> keys; ///< "name algorithm secret-file" as Settings::keys
};

/// What shund.conf says about transfers (strings checked by Service's constructor).
struct Settings {
  /// "192.0.2.0/24", "2001:db8::/32", "127.0.0.1": who may transfer a zone without ranges of its own
  std::vector<std::string> allow;
  std::vector<std::string> notify; ///< "zone addr[/port]": a secondary NOTIFY tells of new serials
  /// "name algorithm secret-file" (hmac-sha256, hmac-sha512; the file holds the base64 secret): when any
  /// applies to a zone, every transfer of it must be signed with one of them (TSIG, RFC 8945)
  std::vector<std::string> keys;
  /// By zone (presentation form, lower-case, no trailing dot): its own ranges and keys, which replace
  /// the server-wide ones for it
  std::map<std::string, ZoneAccess> zones;
  std::uint32_t maxTransfers = 16; ///< running at once, all clients
  std::uint32_t maxPerClient = 4; ///< running at once from one address
  std::size_t messageSize
      = std::size_t { 16 } * 1024; ///< bytes per message (about; a record never straddles two)
};

} // namespace shun::xfr
