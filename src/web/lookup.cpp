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
      const store::Dataset& dataset = *zoneDataset.dataset;
      for (auto& served : zone::servedValues(dataset, key.key, now, &verdict.applicable)) {
        // The answer's TTL as DNS gives it (2100 s: the server default of a dataset without $TTL).
        std::uint32_t ttl = served.listing->ttl ? served.listing->ttl : dataset.ttl ? dataset.ttl : 2100;
        verdict.values.push_back({ dottedQuad(served.a), std::move(served.txt), *served.listing,
            std::move(served.entryName), ttl });
      }
      if (key.family == LookupKey::Family::Name && verdict.values.empty()) {
        listing::Key child = key.key; // "*" is never an entry's own label: only a wildcard matches it
        child.name = "*." + key.key.name;
        for (const auto& served : zone::servedValues(dataset, child, now))
          verdict.namesBelow |= served.entryName == key.key.name;
      }
    }
    if (verdict.applicable)
      verdicts.push_back(std::move(verdict));
  }
  return verdicts;
}

bool isTestPoint(const LookupKey& key)
{
  constexpr store::Ip6 kMapped = (store::Ip6 { 0xffff7f00 } << 16) | 2; // ::ffff:127.0.0.2
  switch (key.family) {
  case LookupKey::Family::Ip4:
    return key.ip4 == 0x7f000002;
  case LookupKey::Family::Ip6:
    return key.ip6 == kMapped;
  case LookupKey::Family::Name:
    return key.text == "test";
  }
  return false;
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
