#pragma once

#include "shun/store/dataset.hpp"

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

/// One served zone with its datasets, resolved SOA and NS.
struct Zone {
  std::string name; ///< absolute wire form, lower-case, with the root label.
  std::string text; ///< presentation form without trailing dot, e.g. "bl.example".
  std::vector<ZoneDataset> datasets;
  const Dataset* acl = nullptr;
  std::optional<SoaData> soa; ///< serial already resolved (0 -> newest mtime).
  std::optional<NsData> ns;
  bool hasIp4 = false; ///< has an IPv4 dataset (6to4 / v4-mapped names map to IPv4).
  bool hasIp6 = false;
};

/// Everything shund serves at one moment. Immutable and shared by all workers until replaced whole.
class Snapshot {
public:
  std::vector<std::unique_ptr<Dataset>> datasets; ///< owns every dataset (zones point into it)
  std::vector<Zone> zones; ///< most specific (longest) names first
  const Dataset* globalAcl = nullptr;
  std::int64_t builtAt = 0; ///< unix seconds

  /// The zone whose name is a label-aligned suffix of qname (absolute wire form, lower-case), or
  /// nullptr. No allocation.
  const Zone* findZone(std::string_view lowerWireQname) const noexcept;
};

} // namespace shun::store
