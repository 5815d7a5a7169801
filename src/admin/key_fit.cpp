#include "admin/key.hpp"

#include <cstdio>

namespace shun::admin {

bool fitsDataset(const listing::Key& key, store::DatasetType type, std::string& error)
{
  using store::DatasetType;
  bool fits = false;
  switch (key.family) {
  case listing::Key::Family::Ip4:
    fits = type == DatasetType::Ip4Set || type == DatasetType::Ip4Trie
        || (type == DatasetType::Ip4TSet && key.v4First == key.v4Last);
    break;
  case listing::Key::Family::Ip6:
    fits = type == DatasetType::Ip6Trie
        || (type == DatasetType::Ip6TSet && key.v6Last - key.v6First == (~store::Ip6 {} >> 64));
    break;
  case listing::Key::Family::Name:
    fits = type == DatasetType::DnSet;
    break;
  }
  // rbldnsd's exclusions: none in ip4tset, only single addresses in ip6tset (its /128 exclusion array).
  if (key.exclusion && type == DatasetType::Ip4TSet)
    fits = false;
  if (key.exclusion && type == DatasetType::Ip6TSet)
    fits = key.v6First == key.v6Last;
  if (!fits)
    error = "key " + key.text + " does not fit this zone's dataset type";
  return fits;
}

std::string zoneSpelling(const listing::Key& key, store::DatasetType type)
{
  if (key.family == listing::Key::Family::Ip6 && type == store::DatasetType::Ip6TSet && !key.exclusion) {
    char text[40];
    auto high = static_cast<std::uint64_t>(key.v6First >> 64);
    std::snprintf(text, sizeof text, "%x:%x:%x:%x", static_cast<unsigned>(high >> 48),
        static_cast<unsigned>((high >> 32) & 0xffff), static_cast<unsigned>((high >> 16) & 0xffff),
        static_cast<unsigned>(high & 0xffff));
    return text;
  }
  return key.text;
}

} // namespace shun::admin
