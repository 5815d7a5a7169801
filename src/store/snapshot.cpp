#include "shun/store/snapshot.hpp"

#include "shun/store/overlay.hpp"

#include <cstring>

namespace shun::store {
namespace {

// True if a label of name starts at offset start (name is a well-formed absolute wire name).
bool labelStartsAt(std::string_view name, std::size_t start) noexcept
{
  std::size_t pos = 0;
  while (pos < start)
    pos += 1 + static_cast<unsigned char>(name[pos]);
  return pos == start;
}

} // namespace

const Zone* Snapshot::findZone(std::string_view lowerWireQname) const noexcept
{
  // Compare the bytes first (cheap, usually decisive), then check that the suffix is label-aligned.
  for (const Zone& zone : zones) { // most specific first
    if (zone.name.size() > lowerWireQname.size())
      continue;
    std::size_t start = lowerWireQname.size() - zone.name.size();
    if (std::memcmp(lowerWireQname.data() + start, zone.name.data(), zone.name.size()) == 0
        && labelStartsAt(lowerWireQname, start))
      return &zone;
  }
  return nullptr;
}

std::size_t zoneSuffixStart(std::string_view name, std::string_view lowerZone) noexcept
{
  if (lowerZone.size() <= 1 || name.size() < lowerZone.size())
    return std::string_view::npos;
  std::size_t start = name.size() - lowerZone.size(), pos = 0;
  while (pos < start)
    pos += 1 + static_cast<unsigned char>(name[pos]);
  if (pos != start)
    return std::string_view::npos;
  if (std::memcmp(name.data() + start, lowerZone.data(), lowerZone.size()) == 0)
    return start; // the usual case: the name is written in lower case too
  for (std::size_t i = 0; i < lowerZone.size(); ++i) {
    char c = name[start + i]; // label lengths (< 64) are not letters
    if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != lowerZone[i])
      return std::string_view::npos;
  }
  return start;
}

namespace {

void compressApexNames(Zone& zone)
{
  zone.apexNames.clear();
  auto add = [&](std::string_view name) {
    std::size_t start = zoneSuffixStart(name, zone.name);
    zone.apexNames.push_back(start == std::string_view::npos
            ? CompressedName { static_cast<std::uint16_t>(name.size()), false }
            : CompressedName { static_cast<std::uint16_t>(start), true });
  };
  if (zone.soa) {
    add(zone.soa->mname);
    add(zone.soa->rname);
  }
  if (zone.ns)
    for (const std::string& name : zone.ns->names)
      add(name);
}

} // namespace

void Snapshot::index()
{
  for (Zone& zone : zones) {
    compressApexNames(zone);
    zone.hasZoneBelow = zone.name.size() <= 1 && zones.size() > 1; // every zone is below the root
    for (const Zone& other : zones)
      if (other.name.size() > zone.name.size()
          && zoneSuffixStart(other.name, zone.name) != std::string_view::npos)
        zone.hasZoneBelow = true;
  }
}

ZoneSize zoneSize(const Zone& zone, std::int64_t now)
{
  ZoneSize size;
  for (const auto& zoneDataset : zone.datasets) {
    const Dataset* dataset = zoneDataset.dataset;
    if (!dataset)
      continue;
    // An overlaid dataset counts its base's entries and values, then its own (roughly: a changed address
    // counts twice).
    for (const Dataset* data : { dataset->overlay ? dataset->overlay->base().get() : nullptr, dataset }) {
      if (!data)
        continue;
      size.entries += data->ip4.rangeCount() + data->ip6.rangeCount() + data->names.size();
      for (ValueId id = 0; id < data->values.size(); ++id) {
        auto expires = data->values.value(id).expires;
        size.expired += expires && expires <= now ? 1 : 0;
      }
    }
    if (!dataset->overlay)
      continue;
    size.entries += dataset->overlay->size();
    for (const auto& part : dataset->overlay->parts()) // the overlay's values (some replaced since)
      for (ValueId id = 0; id < part->tables.values.size(); ++id) {
        auto expires = part->tables.values.value(id).expires;
        size.expired += expires && expires <= now ? 1 : 0;
      }
  }
  return size;
}

std::shared_ptr<const Snapshot> withAccessKeys(
    const std::shared_ptr<const Snapshot>& snapshot, std::shared_ptr<const AccessKeySet> keys)
{
  if (!snapshot || (!keys && !snapshot->accessKeys))
    return snapshot;
  auto copy = std::make_shared<Snapshot>(*snapshot); // the datasets are shared, the zones copied
  for (Zone& zone : copy->zones)
    zone.accessBit = keys ? keys->zoneBit(zone.name) : 0;
  copy->accessKeys = std::move(keys);
  return copy;
}

} // namespace shun::store
