#pragma once

#include "shun/store/access_keys.hpp"
#include "shun/store/dataset.hpp"
#include "shun/store/zone_history.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shun::store {

/// A dataset as seen from one zone: it answers names below subzone (relative wire name, "" = apex).
struct ZoneDataset {
  WireName subzone;
  const Dataset* dataset = nullptr;
};

/// How a name in a zone's SOA or NS RDATA is written in answers: its first `own` bytes, then, when it
/// ends in the zone's name, a pointer to where the question holds that name (RFC 1035 4.1.4), as
/// rbldnsd writes them.
struct CompressedName {
  std::uint16_t own = 0;
  bool pointer = false;
  std::size_t size() const noexcept { return pointer ? own + 2u : own; }
};

/// One served zone with its datasets, resolved SOA and NS.
struct Zone {
  std::string name; ///< absolute wire form, lower-case, with the root label.
  std::string text; ///< presentation form without trailing dot, e.g. "bl.example".
  std::vector<ZoneDataset> datasets;
  const Dataset* acl = nullptr;
  std::optional<SoaData> soa; ///< serial: the zone's version (zone/versions.hpp), or its source serial.
  std::optional<NsData> ns;
  bool hasIp4 = false; ///< has an IPv4 dataset (6to4 / v4-mapped names map to IPv4).
  bool hasIp6 = false;
  /// soa->mname and soa->rname (when soa), then every ns name, compressed against name; filled by
  /// Snapshot::index (answers that need them check the count).
  std::vector<CompressedName> apexNames;
  /// Another served zone lies below this one (this is bl.example and 4.bl.example is served too), so the
  /// zone of a name is not simply what follows its first labels. True until Snapshot::index says.
  bool hasZoneBelow = true;
  /// The zone's last change sets with their serials (null when not tracked, e.g. shund --check).
  std::shared_ptr<const ZoneHistory> history;
  /// Non-zero: a keyed zone ("<ip>.<key>.<zone>"); its bit in Snapshot::accessKeys (withAccessKeys).
  std::uint64_t accessBit = 0;
};

/// Entries (ranges and names) and expired-but-still-loaded values of a zone, for /metrics and the reload log.
struct ZoneSize {
  std::uint64_t entries = 0, expired = 0;
};
ZoneSize zoneSize(const Zone& zone, std::int64_t now);

/// Where the suffix of name (absolute, wire) equal to lowerZone (whole labels, ASCII case-insensitive)
/// starts, so that a writer can replace it by a compression pointer (RFC 1035 4.1.4); npos if name does
/// not end in lowerZone. The root is never a suffix worth pointing at.
std::size_t zoneSuffixStart(std::string_view name, std::string_view lowerZone) noexcept;

/// Everything shund serves at one moment. Immutable and shared by all workers until replaced whole.
class Snapshot {
public:
  /// Every dataset (zones point into them); an unchanged dataset is shared with the previous snapshot.
  std::vector<std::shared_ptr<const Dataset>> datasets;
  std::vector<Zone> zones; ///< most specific (longest) names first
  const Dataset* globalAcl = nullptr;
  std::int64_t builtAt = 0; ///< unix seconds
  std::shared_ptr<const AccessKeySet> accessKeys; ///< null: no zone is keyed

  /// The zone whose name is a label-aligned suffix of qname (absolute wire form, lower-case), or
  /// nullptr. No allocation.
  const Zone* findZone(std::string_view lowerWireQname) const noexcept;
  /// Precomputes what answers read per zone (Zone::apexNames, Zone::hasZoneBelow). Call once the zones,
  /// their SOA and NS are final, and again after changing them.
  void index();
};

/// snapshot with keys attached and its keyed zones marked (Zone::accessBit): a copy sharing the datasets,
/// or snapshot itself when both have no keys. Reload thread.
std::shared_ptr<const Snapshot> withAccessKeys(
    const std::shared_ptr<const Snapshot>& snapshot, std::shared_ptr<const AccessKeySet> keys);

} // namespace shun::store
