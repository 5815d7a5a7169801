#pragma once

#include "shun/store/address.hpp"
#include "shun/store/dataset.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace shun::admin {

/// A key given to shunctl, in canonical form so equal keys compare equal as text.
struct Key {
  enum class Family { Ip4, Ip6, Name };
  Family family = Family::Ip4;
  std::string text; ///< canonical zone-file spelling ("192.0.2.0/24", "2001:db8::/32", ".example.com")
  store::Ip4 v4First = 0, v4Last = 0;
  store::Ip6 v6First = 0, v6Last = 0;
  std::string name; ///< Name: lower-case, no leading "*." or ".", no trailing dot
  bool wildcard = false; ///< Name: "*.name" (subdomains) or ".name" (name and subdomains)
  bool includesApex = true; ///< Name: false for "*.name"

  /// True if the two keys share any address or name.
  bool overlaps(const Key& other) const;
};

/// Parses an address, CIDR or domain name as typed by an operator. Host bits set in a CIDR are an error.
/// Returns nullopt and sets error to a one-line reason.
std::optional<Key> parseKey(std::string_view text, std::string& error);

/// True if name (no trailing dot) is a host name a DNSBL can list: letters, digits, '-' and '_' in labels of
/// 1..63 bytes, 253 at most. One label is fine: "test" is RFC 5782's domain test point.
bool validName(std::string_view name);

/// True if a key of this family can be stored in a dataset of this type; else error names the mismatch.
bool fitsDataset(const Key& key, store::DatasetType type, std::string& error);

/// The key as written in a data file of this type (ip6tset lists /64s as four groups).
std::string zoneSpelling(const Key& key, store::DatasetType type);

} // namespace shun::admin
