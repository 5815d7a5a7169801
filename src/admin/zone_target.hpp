#pragma once

#include "admin/commands.hpp"

#include <string>
#include <vector>

namespace shun::admin {

/// Finds the data file shunctl manages for zone: the first file of the zone's first IP or name dataset,
/// among zoneSpecs ("zone:type:file,...") or, if none are given, the zones of shund's configuration file
/// (read by config::readConfigFile, as shund reads it). Throws std::invalid_argument naming the zone and
/// what is known, config::ConfigError for a configuration shund would refuse.
ZoneTarget resolveZoneTarget(
    const std::string& zone, const std::vector<std::string>& zoneSpecs, const std::string& configFile);

} // namespace shun::admin
