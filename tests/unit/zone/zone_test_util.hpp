#pragma once

#include "shun/store/snapshot.hpp"
#include "shun/zone/load.hpp"
#include "temp_dir.hpp"
#include "wire_name.hpp"

#include <string>
#include <vector>

namespace zonetest {

using shuntest::TempDir;
using shuntest::wireName;

/// Loads one file as "zone:type:file" and returns the result.
inline shun::zone::LoadResult loadOne(const TempDir& dir, const std::string& type, const std::string& content,
    const std::string& zone = "bl.example", shun::zone::LoadOptions options = {})
{
  std::string file = dir.write("data", content);
  return shun::zone::loadSnapshot({ shun::zone::parseZoneSpec(zone + ":" + type + ":" + file) }, options);
}

/// Every diagnostic, formatted, with the temp directory cut from file names.
inline std::vector<std::string> messages(const shun::zone::LoadResult& result, const TempDir& dir)
{
  std::vector<std::string> out;
  for (const auto& diagnostic : result.diagnostics) {
    std::string text = diagnostic.format();
    if (text.rfind(dir.path() + "/", 0) == 0)
      text = text.substr(dir.path().size() + 1);
    out.push_back(text);
  }
  return out;
}

/// The values a payload stands for.
inline std::vector<shun::store::Value> valuesOf(const shun::store::Dataset& dataset, std::uint32_t payload)
{
  std::vector<shun::store::Value> out;
  if (payload == shun::store::kNoPayload)
    return out;
  for (auto id : dataset.sets.set(payload))
    out.push_back(dataset.values.value(id));
  return out;
}

/// A codes (last octet of 127.0.0.x, or the full address) answered for ip in an IPv4 dataset.
inline std::vector<std::uint32_t> ip4Answers(const shun::store::Dataset& dataset, shun::store::Ip4 ip)
{
  std::vector<std::uint32_t> out;
  shun::store::Ip4Hit hit = dataset.findIp4(ip); // through an overlay of journal changes, if any
  for (const auto& value : valuesOf(*hit.tables, hit.payload))
    out.push_back(value.a);
  return out;
}

inline shun::store::Ip4 ip4(unsigned a, unsigned b, unsigned c, unsigned d)
{
  return a << 24 | b << 16 | c << 8 | d;
}

/// The first dataset of the first zone.
inline const shun::store::Dataset& firstDataset(const shun::zone::LoadResult& result)
{
  return *result.snapshot->zones.at(0).datasets.at(0).dataset;
}

} // namespace zonetest
