#pragma once

#include "shun/listing/key.hpp"
#include "shun/store/address.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace shun::web {

/// Escapes &, <, >, " and ' for HTML text and attribute values.
std::string htmlEscape(std::string_view text);
/// Decodes %XX and '+' (form encoding). nullopt on a bad escape or a NUL byte.
std::optional<std::string> urlDecode(std::string_view text);
/// Parses an application/x-www-form-urlencoded body; nullopt if any field is malformed.
std::optional<std::map<std::string, std::string>> parseForm(std::string_view body);

/// A key a visitor looks up: one IPv4 or IPv6 address, or a domain name.
struct LookupKey {
  enum class Family { Ip4, Ip6, Name };
  Family family = Family::Ip4;
  std::string text; ///< canonical: "192.0.2.7", "2001:db8::1", "example.com"
  store::Ip4 ip4 = 0;
  store::Ip6 ip6 = 0;
  listing::Key key; ///< the parsed key, for zone::servedValues
};

/// Parses a key typed in a URL (already percent-decoded). nullopt for anything else (CIDRs, junk, names
/// longer than 253 bytes or with labels over 63 or characters outside [a-z0-9_-]). Names are relative to
/// the zones, as in DNS: "example.com" is queried as example.com.dbl.example.
std::optional<LookupKey> parseLookupKey(std::string_view text);

} // namespace shun::web
