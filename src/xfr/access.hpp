#pragma once

#include "shun/xfr/settings.hpp"
#include "xfr/tsig.hpp"

#include <map>
#include <string>
#include <string_view>
#include <sys/socket.h>
#include <vector>

namespace shun::xfr {

/// An allowed address range: family and the first prefixLength bits of address.
struct Range {
  int family = AF_INET;
  std::uint8_t address[16] {};
  unsigned prefixLength = 0;
};

/// Who may transfer one zone: its ranges and keys (its own, or else the server-wide ones).
struct ZoneRules {
  std::vector<Range> allow;
  std::vector<TsigKey> keys; ///< empty: transfers need no signature
  /// True if client (AF_INET or AF_INET6) lies in one of the ranges.
  bool allows(const sockaddr* client) const noexcept;
};

/// The transfer rules of every zone, read once from Settings. Immutable after construction: any thread.
class Access {
public:
  /// Parses the ranges and reads the key files (each readable only by shund's user). Throws
  /// std::invalid_argument naming a bad range, key or secret file.
  explicit Access(const Settings& settings);
  /// The rules of zone (absolute lower-case wire name): its own, or the server-wide ones.
  const ZoneRules& rules(std::string_view zone) const noexcept;
  /// The rules of the closest enclosing zone of name (absolute lower-case wire name) that has its own,
  /// else the server-wide ones: which keys a signed SOA query may use.
  const ZoneRules& rulesAbove(std::string_view name) const noexcept;
  /// True if any zone needs signed transfers.
  bool anyKeys() const noexcept { return d_anyKeys; }
  /// True if any zone may be transferred from anywhere.
  bool anyAllowed() const noexcept { return d_anyAllowed; }

private:
  ZoneRules d_default;
  std::map<std::string, ZoneRules, std::less<>> d_zones; ///< by absolute wire name
  bool d_anyKeys = false;
  bool d_anyAllowed = false;
};

/// "bl.example" (or "bl.example.") in absolute wire form, lower-case. Throws std::invalid_argument for an
/// empty or over-long label.
std::string wireZoneName(const std::string& text);

} // namespace shun::xfr
