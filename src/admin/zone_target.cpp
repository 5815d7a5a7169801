#include "shun/admin/commands.hpp"
#include "shun/config/config.hpp"
#include "shun/store/dataset_type.hpp"
#include "shun/zone/load.hpp"

#include <stdexcept>

namespace shun::admin {

ZoneTarget resolveZoneTarget(
    const std::string& zone, const std::vector<std::string>& zoneSpecs, const std::string& configFile)
{
  std::vector<zone::ZoneSpec> specs;
  if (zoneSpecs.empty())
    specs = config::readConfigFile(configFile).runtime.zones; // shund's own reader: same keys, same errors
  for (const std::string& text : zoneSpecs)
    specs.push_back(zone::parseZoneSpec(text));
  std::string wanted = zone;
  if (!wanted.empty() && wanted.back() == '.')
    wanted.pop_back();
  std::string known;
  for (const zone::ZoneSpec& spec : specs) {
    known += (known.empty() ? "" : ", ") + spec.zone;
    auto type = store::datasetTypeFromName(spec.type);
    bool editable = type && *type != store::DatasetType::Generic && *type != store::DatasetType::Combined
        && *type != store::DatasetType::Acl;
    if (spec.zone == wanted && editable && !spec.files.empty())
      return { spec.zone, spec.files.front(), *type };
  }
  throw std::invalid_argument("unknown zone " + zone
      + " (zones with an IP or name dataset: " + (known.empty() ? "none" : known) + ")");
}

} // namespace shun::admin
