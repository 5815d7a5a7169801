#include "web/lookup.hpp"

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

} // namespace shun::web
