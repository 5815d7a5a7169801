#include "web/lookup.hpp"

#include "shun/store/ip4_overlay.hpp"
#include "shun/zone/served.hpp"

#include <arpa/inet.h>

namespace shun::web {
namespace {

std::string dottedQuad(std::uint32_t a)
{
  in_addr address { htonl(a) };
  char buffer[INET_ADDRSTRLEN];
  inet_ntop(AF_INET, &address, buffer, sizeof buffer);
  return buffer;
}

} // namespace

std::vector<ZoneVerdict> lookupKey(const store::Snapshot& snapshot, const LookupKey& key, std::int64_t now)
{
  std::vector<ZoneVerdict> verdicts;
  for (const auto& zone : snapshot.zones) {
    ZoneVerdict verdict;
    verdict.zone = zone.text;
    for (const auto& zoneDataset : zone.datasets) {
      if (!zoneDataset.subzone.empty() || !zoneDataset.dataset)
        continue;
      for (auto& served : zone::servedValues(*zoneDataset.dataset, key.key, now, &verdict.applicable))
        verdict.values.push_back({ dottedQuad(served.a), std::move(served.txt), *served.listing });
    }
    if (verdict.applicable)
      verdicts.push_back(std::move(verdict));
  }
  return verdicts;
}

std::string codeMeaning(const std::string& code)
{
  if (code == "127.0.0.2")
    return "listed (direct evidence, e.g. spam trap hits)";
  if (code == "127.0.0.3")
    return "listed as a spam source";
  if (code == "127.0.0.4")
    return "listed as an open proxy or compromised host";
  if (code == "127.0.0.10")
    return "dynamic or residential address range (policy listing)";
  if (code.starts_with("127.0.1."))
    return "domain listed";
  return "listed";
}

ZoneSize zoneSize(const store::Zone& zone, std::int64_t now)
{
  ZoneSize size;
  for (const auto& zoneDataset : zone.datasets) {
    const store::Dataset* dataset = zoneDataset.dataset;
    if (!dataset)
      continue;
    // An overlaid dataset counts its base's entries and values, then its own (roughly: a changed address
    // counts twice).
    for (const store::Dataset* data :
        { dataset->overlay ? dataset->overlay->base().get() : nullptr, dataset }) {
      if (!data)
        continue;
      size.entries += data->ip4.rangeCount() + data->ip6.rangeCount() + data->names.size();
      for (store::ValueId id = 0; id < data->values.size(); ++id) {
        auto expires = data->values.value(id).expires;
        size.expired += expires && expires <= now ? 1 : 0;
      }
    }
    if (dataset->overlay)
      size.entries += dataset->overlay->changes().size();
  }
  return size;
}

} // namespace shun::web
