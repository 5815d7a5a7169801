#include "admin/served.hpp"

#include "admin/zone_target.hpp"
#include "shun/zone/load.hpp"
#include "shun/zone/served.hpp"

namespace shun::admin {
namespace {

const char* typeName(store::DatasetType type)
{
  using store::DatasetType;
  for (const char* name : { "ip4set", "ip4tset", "ip4trie", "ip6trie", "ip6tset", "dnset" })
    if (datasetTypeFromName(name) == type)
      return name;
  return "ip4set";
}

} // namespace

std::optional<ServedAnswer> servedAnswer(const ZoneTarget& target, const Key& key, std::int64_t now)
{
  zone::LoadOptions options;
  options.now = now;
  auto result = zone::loadSnapshot(
      { zone::parseZoneSpec(target.zone + ":" + typeName(target.type) + ":" + target.dataFile) }, options);
  if (!result.snapshot || result.snapshot->datasets.empty())
    return std::nullopt;
  auto served = zone::servedValues(*result.snapshot->datasets.front(), key, now);
  if (served.empty())
    return std::nullopt;
  return ServedAnswer { listing::formatIp4(served.front().a), std::move(served.front().txt) };
}

} // namespace shun::admin
