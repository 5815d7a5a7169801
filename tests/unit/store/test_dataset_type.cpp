#include "shun/store/dataset_type.hpp"

#include <catch2/catch.hpp>
#include <string>

using namespace shun::store;

TEST_CASE("dataset type: every rbldnsd type name maps to its type and back")
{
  for (auto type : { DatasetType::Ip4Set, DatasetType::Ip4TSet, DatasetType::Ip4Trie, DatasetType::Ip6Trie,
           DatasetType::Ip6TSet, DatasetType::DnSet, DatasetType::Generic, DatasetType::Combined,
           DatasetType::Acl }) {
    const char* name = datasetTypeName(type);
    INFO(name);
    CHECK(datasetTypeFromName(name) == type);
  }
  CHECK(std::string(datasetTypeName(DatasetType::Ip4Trie)) == "ip4trie");
  CHECK(datasetTypeFromName("dnset") == DatasetType::DnSet);
}

TEST_CASE("dataset type: unknown, empty and differently cased names are not types")
{
  CHECK_FALSE(datasetTypeFromName("ip4tree"));
  CHECK_FALSE(datasetTypeFromName(""));
  CHECK_FALSE(datasetTypeFromName("IP4SET"));
}
