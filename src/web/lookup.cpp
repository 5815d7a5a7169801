#include "web/lookup.hpp"

#include "shun/store/ip4_overlay.hpp"
#include "zone/text.hpp"

#include <arpa/inet.h>

namespace shun::web {
namespace {

using store::DatasetType;

std::string dottedQuad(std::uint32_t a)
{
  in_addr address { htonl(a) };
  char buffer[INET_ADDRSTRLEN];
  inet_ntop(AF_INET, &address, buffer, sizeof buffer);
  return buffer;
}

store::Ip4Hit findPayload(const store::Dataset& dataset, const LookupKey& key, bool& applicable)
{
  bool ip4 = dataset.type == DatasetType::Ip4Set || dataset.type == DatasetType::Ip4TSet
      || dataset.type == DatasetType::Ip4Trie;
  bool ip6 = dataset.type == DatasetType::Ip6Trie || dataset.type == DatasetType::Ip6TSet;
  if (ip4 && key.family == LookupKey::Family::Ip4) {
    applicable = true;
    return dataset.findIp4(key.ip4);
  }
  if (ip6 && key.family == LookupKey::Family::Ip6) {
    applicable = true;
    return { &dataset, dataset.ip6.find(key.ip6) };
  }
  if (dataset.type == DatasetType::DnSet && key.family == LookupKey::Family::Name) {
    applicable = true;
    auto hit = dataset.names.find(zone::nameToWire(key.text).value_or("")); // key.text is a checked name
    return { &dataset, hit.payload == store::NameSet::kNoPayloadName ? store::kNoPayload : hit.payload };
  }
  return { &dataset, store::kNoPayload };
}

void collect(const store::Dataset& dataset, const LookupKey& key, std::int64_t now, ZoneVerdict& verdict)
{
  if (dataset.type == DatasetType::Combined) {
    for (const auto& child : dataset.children)
      for (const auto& subzone : child.subzones)
        if (subzone.empty() && child.dataset)
          collect(*child.dataset, key, now, verdict);
    return;
  }
  store::Ip4Hit hit = findPayload(dataset, key, verdict.applicable);
  if (hit.payload == store::kNoPayload || (dataset.timestampExpires && dataset.timestampExpires <= now))
    return;
  const store::Dataset& tables = *hit.tables; // an overlay's values, or its base's
  for (store::ValueId id : tables.sets.set(hit.payload)) {
    const store::Value& value = tables.values.value(id);
    const store::CompiledValue& compiled = tables.values.compiled(id);
    if (value.expires && value.expires <= now)
      continue;
    ListedValue listed;
    listed.code = dottedQuad(value.a);
    if (compiled.hasTxt) {
      char buffer[256];
      listed.txt.assign(buffer, store::expandTemplate(compiled.txt, key.text, buffer));
    }
    if (value.listing < tables.listings.size())
      listed.listing = tables.listings[value.listing];
    verdict.values.push_back(std::move(listed));
  }
}

} // namespace

std::vector<ZoneVerdict> lookupKey(const store::Snapshot& snapshot, const LookupKey& key, std::int64_t now)
{
  std::vector<ZoneVerdict> verdicts;
  for (const auto& zone : snapshot.zones) {
    ZoneVerdict verdict;
    verdict.zone = zone.text;
    for (const auto& zoneDataset : zone.datasets)
      if (zoneDataset.subzone.empty() && zoneDataset.dataset)
        collect(*zoneDataset.dataset, key, now, verdict);
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
