#include "shun/zone/served.hpp"

#include "zone/text.hpp"

#include <arpa/inet.h>

namespace shun::zone {
namespace {

using store::DatasetType;

// The payload for key with the tables it indexes (an overlay's or the dataset's own), and the text "$"
// stands for (the DNS path's spelling: inet_ntop for IPv6).
store::Ip4Hit findPayload(
    const store::Dataset& dataset, const listing::Key& key, std::string& subject, bool& applicable)
{
  bool ip4 = dataset.type == DatasetType::Ip4Set || dataset.type == DatasetType::Ip4TSet
      || dataset.type == DatasetType::Ip4Trie;
  bool ip6 = dataset.type == DatasetType::Ip6Trie || dataset.type == DatasetType::Ip6TSet;
  if (ip4 && key.family == listing::Key::Family::Ip4) {
    applicable = true;
    subject = listing::formatIp4(key.v4First);
    return dataset.findIp4(key.v4First);
  }
  if (ip6 && key.family == listing::Key::Family::Ip6) {
    applicable = true;
    unsigned char bytes[16];
    for (int i = 0; i < 16; ++i)
      bytes[i] = static_cast<unsigned char>(key.v6First >> (8 * (15 - i)));
    char text[INET6_ADDRSTRLEN];
    subject = inet_ntop(AF_INET6, bytes, text, sizeof text);
    return dataset.findIp6(key.v6First);
  }
  if (dataset.type == DatasetType::DnSet && key.family == listing::Key::Family::Name) {
    applicable = true;
    subject = key.name;
    std::string wire = nameToWire(key.name).value_or(""); // key.name is a checked name
    auto hit = dataset.findName(wire); // hit.listedName is a view into wire
    if (hit.payload != store::kNoPayload)
      subject = wireToText(hit.listedName); // "$" as DNS expands it: a wildcard's own name
    return { hit.tables, hit.payload };
  }
  return { &dataset, store::kNoPayload };
}

void collect(const store::Dataset& dataset, const listing::Key& key, std::int64_t now,
    std::vector<ServedValue>& out, bool& applicable)
{
  if (dataset.type == DatasetType::Combined) {
    for (const auto& child : dataset.children)
      for (const auto& subzone : child.subzones)
        if (subzone.empty() && child.dataset)
          collect(*child.dataset, key, now, out, applicable);
    return;
  }
  std::string subject;
  store::Ip4Hit hit = findPayload(dataset, key, subject, applicable);
  if (hit.payload == store::kNoPayload || (dataset.timestampExpires && dataset.timestampExpires <= now))
    return;
  const store::Dataset& tables = *hit.tables;
  for (store::ValueId id : tables.sets.set(hit.payload)) {
    const store::Value& value = tables.values.value(id);
    const store::CompiledValue& compiled = tables.values.compiled(id);
    if (value.expires && value.expires <= now)
      continue;
    ServedValue served;
    served.a = value.a;
    if (key.family == listing::Key::Family::Name)
      served.entryName = subject;
    if (compiled.hasTxt && compiled.txtHasKey) {
      char buffer[256];
      served.txt.assign(buffer, store::expandTemplate(compiled.txt, subject, buffer));
    } else if (compiled.hasTxt) {
      served.txt = compiled.txt;
    }
    static const listing::Listing kNone;
    served.listing = value.listing < tables.listings.size() ? &tables.listings[value.listing] : &kNone;
    out.push_back(std::move(served));
  }
}

} // namespace

std::vector<ServedValue> servedValues(
    const store::Dataset& dataset, const listing::Key& key, std::int64_t now, bool* applicable)
{
  std::vector<ServedValue> out;
  bool fits = false;
  collect(dataset, key, now, out, fits);
  if (applicable)
    *applicable = *applicable || fits;
  return out;
}

} // namespace shun::zone
