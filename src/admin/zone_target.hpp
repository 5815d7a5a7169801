#pragma once

#include "admin/commands.hpp"

#include <string>
#include <vector>

namespace shun::admin {

/// Finds the data file shunctl manages for zone: the first file of the zone's first IP or name dataset,
/// among zoneSpecs ("zone:type:file,...") or, if none are given, the "zone = ..." lines of shund's
/// configuration file. Throws std::invalid_argument naming the zone and what is known.
ZoneTarget resolveZoneTarget(
    const std::string& zone, const std::vector<std::string>& zoneSpecs, const std::string& configFile);

/// The dataset type named by rbldnsd's type string ("ip4trie"), or nullopt.
std::optional<store::DatasetType> datasetTypeFromName(const std::string& name);

} // namespace shun::admin
