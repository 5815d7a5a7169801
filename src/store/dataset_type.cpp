#include "shun/store/dataset_type.hpp"

#include <utility>

namespace shun::store {
namespace {

// The one table of rbldnsd's type names: the zone loader, shunctl and the web page all read it.
constexpr std::pair<const char*, DatasetType> kTypeNames[] = {
  { "ip4set", DatasetType::Ip4Set },
  { "ip4tset", DatasetType::Ip4TSet },
  { "ip4trie", DatasetType::Ip4Trie },
  { "ip6trie", DatasetType::Ip6Trie },
  { "ip6tset", DatasetType::Ip6TSet },
  { "dnset", DatasetType::DnSet },
  { "generic", DatasetType::Generic },
  { "combined", DatasetType::Combined },
  { "acl", DatasetType::Acl },
};

} // namespace

std::optional<DatasetType> datasetTypeFromName(std::string_view name)
{
  for (const auto& [text, type] : kTypeNames)
    if (name == text)
      return type;
  return std::nullopt;
}

const char* datasetTypeName(DatasetType type)
{
  for (const auto& [text, candidate] : kTypeNames)
    if (candidate == type)
      return text;
  return "?";
}

} // namespace shun::store
