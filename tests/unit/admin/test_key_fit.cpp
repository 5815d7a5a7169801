#include "admin/key.hpp"

#include <catch2/catch.hpp>

using namespace shun::admin;
using shun::store::DatasetType;

namespace {

shun::listing::Key key(const char* text)
{
  std::string error;
  auto parsed = shun::listing::parseKey(text, error);
  INFO(error);
  REQUIRE(parsed);
  return *parsed;
}

} // namespace

TEST_CASE("key: a key must fit the zone's dataset type")
{
  std::string error;
  CHECK(fitsDataset(key("192.0.2.0/24"), DatasetType::Ip4Trie, error));
  CHECK_FALSE(fitsDataset(key("2001:db8::1"), DatasetType::Ip4Trie, error));
  CHECK(error == "key 2001:db8::1 does not fit this zone's dataset type");
  CHECK_FALSE(fitsDataset(key("192.0.2.0/24"), DatasetType::Ip4TSet, error));
  CHECK(fitsDataset(key("2001:db8:1:2::/64"), DatasetType::Ip6TSet, error));
  CHECK(zoneSpelling(key("2001:db8:1:2::/64"), DatasetType::Ip6TSet) == "2001:db8:1:2");
  CHECK_FALSE(fitsDataset(key("example.com"), DatasetType::Ip6Trie, error));
}
