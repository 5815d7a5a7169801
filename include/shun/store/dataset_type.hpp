#pragma once

#include <optional>
#include <string_view>

namespace shun::store {

/// rbldnsd's dataset types.
enum class DatasetType { Ip4Set, Ip4TSet, Ip4Trie, Ip6Trie, Ip6TSet, DnSet, Generic, Combined, Acl };

/// The dataset type named by an rbldnsd type name ("ip4set", matched exactly), or nullopt.
std::optional<DatasetType> datasetTypeFromName(std::string_view name);

/// The rbldnsd name of a dataset type ("ip4set"), a static NUL-terminated string.
const char* datasetTypeName(DatasetType type);

} // namespace shun::store
