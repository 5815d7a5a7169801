#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace shun::xfr {

/// What shund.conf says about transfers (strings checked by Service's constructor).
struct Settings {
  std::vector<std::string> allow; ///< "192.0.2.0/24", "2001:db8::/32", "127.0.0.1": who may transfer
  std::vector<std::string> notify; ///< "zone addr[/port]": a secondary NOTIFY tells of new serials
  /// "name algorithm secret-file" (hmac-sha256, hmac-sha512; the file holds the base64 secret): when any
  /// is given, every transfer must be signed with one of them (TSIG, RFC 8945)
  std::vector<std::string> keys;
  std::uint32_t maxTransfers = 16; ///< running at once, all clients
  std::uint32_t maxPerClient = 4; ///< running at once from one address
  std::size_t messageSize
      = std::size_t { 16 } * 1024; ///< bytes per message (about; a record never straddles two)
};

} // namespace shun::xfr
