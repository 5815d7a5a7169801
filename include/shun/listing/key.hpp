#pragma once

#include "shun/listing/ip_text.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace shun::listing {

/// A listed key: an IPv4 or IPv6 address or prefix, or a domain name (exact, "*.name" below it, ".name"
/// both), possibly an exclusion ("!key"). text is canonical, so equal keys compare equal as text.
struct Key {
  enum class Family { Ip4, Ip6, Name };
  Family family = Family::Ip4;
  std::string
      text; ///< "192.0.2.7", "192.0.2.0/24", "2001:db8::1", "2001:db8::/32", ".example.com"; "!" first
  Ip4Bits v4First = 0, v4Last = 0;
  Ip6Bits v6First = 0, v6Last = 0;
  unsigned length = 0; ///< IP prefix length (32 or 128 for one address)
  std::string name; ///< Name: lower-case, no leading "*." or ".", no trailing dot
  bool wildcard = false; ///< Name: "*.name" (subdomains) or ".name" (name and subdomains)
  bool includesApex = true; ///< Name: false for "*.name"
  bool exclusion = false; ///< "!key": carved out of a covering entry

  /// True if the two keys share any address or name (exclusion marks are ignored).
  bool overlaps(const Key& other) const;
};

/// Which key forms a parser accepts beyond single addresses and plain names.
struct KeyForms {
  bool prefixes = true; ///< "192.0.2.0/24", "2001:db8::/32"
  bool wildcards = true; ///< "*.example.com", ".example.com"
  bool exclusions = false; ///< "!192.0.2.7"
};
/// What an operator lists (shunctl, imports): addresses, prefixes, names and wildcards.
inline constexpr KeyForms kOperatorKeys {};
/// What a visitor looks up: one address or one name.
inline constexpr KeyForms kLookupKeys { false, false, false };

/// Parses a key in the zone files' grammar (listing/ip_text.hpp), with full addresses only: a dotted quad,
/// eight hex groups or a "::" form (the loader's shortened "10.1" and "2001:db8" are ambiguous when typed).
/// Host bits set under a prefix are an error. Returns nullopt and sets error to a one-line reason.
std::optional<Key> parseKey(std::string_view text, std::string& error, KeyForms forms = kOperatorKeys);

/// True if name (no trailing dot) is a host name a DNSBL can list: letters, digits, '-' and '_' in labels of
/// 1..63 bytes, 253 at most. One label is fine: "test" is RFC 5782's domain test point.
bool validName(std::string_view name);

/// A zone's name as shun names it everywhere (ZoneSpec::zone, key files, xfr and notify settings): ASCII
/// lower-case, trailing dots removed ("BL.Example." -> "bl.example").
std::string zoneName(std::string name);

} // namespace shun::listing
