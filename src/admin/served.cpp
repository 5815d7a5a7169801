#include "admin/served.hpp"

#include "shun/store/dataset_type.hpp"
#include "shun/zone/load.hpp"
#include "shun/zone/served.hpp"

namespace shun::admin {
std::optional<ServedAnswer> servedAnswer(const ZoneTarget& target, const listing::Key& key, std::int64_t now)
{
  zone::LoadOptions options;
  options.now = now;
  auto result = zone::loadSnapshot({ zone::parseZoneSpec(target.zone + ":"
                                       + store::datasetTypeName(target.type) + ":" + target.dataFile) },
      options);
  if (!result.snapshot || result.snapshot->datasets.empty())
    return std::nullopt;
  auto served = zone::servedValues(*result.snapshot->datasets.front(), key, now);
  if (served.empty())
    return std::nullopt;
  return ServedAnswer { listing::formatIp4(served.front().a), std::move(served.front().txt) };
}

} // namespace shun::admin
