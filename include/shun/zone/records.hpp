#pragma once

#include "shun/store/snapshot.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shun::zone {

/// The TTL a record gets when neither its line nor its dataset's "$TTL" gives one (as answers do).
inline constexpr std::uint32_t kRecordDefaultTtl = 2100;

/// One resource record of a served zone, as AXFR sends it and "shund -d" writes it. The views are valid
/// only during the visit.
struct ZoneRecord {
  std::string_view owner; ///< relative to the zone: wire labels without the root label; "" = the apex
  std::uint16_t type = 0;
  std::uint32_t ttl = 0; ///< what is served (its own, else the dataset's, clamped to its expiry)
  std::uint32_t ownTtl = 0; ///< the TTL written on its line; 0: the dataset's "$TTL"
  std::string_view rdata; ///< wire RDATA, names uncompressed with their root label
  bool continued = false; ///< same owner as the record before (the dump leaves its owner blank)
};

/// Receives a zone's records in the order the dump writes them.
class RecordVisitor {
public:
  virtual ~RecordVisitor() = default;
  /// A dataset's records follow (expired: its "$TIMESTAMP" expired and none follow).
  virtual void dataset(const store::Dataset& dataset, bool expired) { }
  virtual void record(const ZoneRecord& record) = 0;
};

/// Visits every record zone serves at now (unix seconds): its SOA, its NS, then each dataset's records;
/// ranges become wildcards on octet (IPv4) or nibble (IPv6) boundaries, cut around the addresses that
/// override them; an excluded dnset name is "CNAME excluded.invalid.". The zone must outlive the call.
/// Exceptions thrown by visitor pass through (a transfer cancels that way).
void forEachRecord(const store::Zone& zone, std::int64_t now, RecordVisitor& visitor);

/// A record with its own storage (a difference between two versions of a zone).
struct OwnedRecord {
  std::string owner; ///< as ZoneRecord::owner
  std::uint16_t type = 0;
  std::uint32_t ttl = 0;
  std::string rdata;
  auto operator<=>(const OwnedRecord&) const = default;
  ZoneRecord view() const { return { owner, type, ttl, 0, rdata, false }; }
};

/// What IXFR sends for one change (RFC 1995 4): the records only before had, then those only after has.
struct ZoneDifference {
  std::vector<OwnedRecord> deleted, added;
};

/// The difference between two versions of one zone, looking only at the datasets that are not the same
/// object in both and, in IPv4 and dnset datasets, only at what the journal keys of the change sets
/// between them touch ("192.0.2.7", "198.51.100.0/24", "example.com"; a key that does not parse widens
/// the look to its whole dataset). nullopt: the zones' datasets do not line up (another layout).
std::optional<ZoneDifference> zoneDifference(const store::Zone& before, const store::Zone& after,
    const std::vector<std::string>& keys, std::int64_t now);

/// The SOA RDATA of zone in wire form (names uncompressed); "" when it has no SOA.
std::string soaRdata(const store::Zone& zone);

} // namespace shun::zone
