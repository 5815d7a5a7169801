#pragma once

#include "shun/zone/records.hpp"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace shun::zone {

/// The part of a dataset a change touched (zone_difference.cpp): IPv4 windows closed under the ranges
/// of both versions, so every piece a window's ranges are cut into lies in it; dnset names.
struct RecordScope {
  std::vector<std::pair<store::Ip4, store::Ip4>> ip4; ///< sorted, disjoint
  std::vector<std::string> names; ///< relative wire names, sorted

  bool holdsName(std::string_view wire) const { return std::binary_search(names.begin(), names.end(), wire); }
};

/// The records of one dataset of a zone (within scope, when not null), as forEachRecord visits them.
void forEachDatasetRecord(
    const store::ZoneDataset& entry, std::int64_t now, RecordVisitor& visitor, const RecordScope* scope);

} // namespace shun::zone
