#pragma once

#include "shun/listing/listing.hpp"
#include "shun/store/snapshot.hpp"
#include "web/text.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace shun::web {

/// One answer a zone gives for a key, with its listing metadata.
struct ListedValue {
  std::string code; ///< "127.0.0.2"
  std::string txt; ///< expanded TXT, empty if none
  listing::Listing listing; ///< empty when the entry carries no "#@" line
  std::string entryName; ///< names: the listed name that matched (a wildcard's own name); else empty
  std::uint32_t ttl = 0; ///< the answer's TTL in seconds: how long resolvers may cache it
};

/// What one zone says about a key.
struct ZoneVerdict {
  std::string zone; ///< "bl.example"
  bool applicable = false; ///< the zone has a dataset for this kind of key
  std::vector<ListedValue> values; ///< empty: not listed
  /// names: the key is not listed, but a wildcard "*.KEY" lists every name below it (the link in such a
  /// wildcard's TXT names KEY)
  bool namesBelow = false;
};

/// Looks key up in every zone of snapshot at now (expired values are not listed), as DNS would answer a
/// query for the key below the zone apex. Zones without a dataset for the key's family are skipped.
std::vector<ZoneVerdict> lookupKey(const store::Snapshot& snapshot, const LookupKey& key, std::int64_t now);

/// True for a positive RFC 5782 test point (127.0.0.2, ::ffff:127.0.0.2, "test"): always listed.
bool isTestPoint(const LookupKey& key);

/// Meaning of a DNSBL answer code as documented for the demo zones ("127.0.0.2": "listed").
std::string codeMeaning(const std::string& code);

} // namespace shun::web
