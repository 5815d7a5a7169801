#include "admin/key.hpp"

#include <catch2/catch.hpp>

using namespace shun::admin;
using shun::store::DatasetType;

namespace {

Key key(const char* text)
{
  std::string error;
  auto parsed = parseKey(text, error);
  INFO(error);
  REQUIRE(parsed);
  return *parsed;
}

std::string errorOf(const char* text)
{
  std::string error;
  CHECK_FALSE(parseKey(text, error));
  return error;
}

} // namespace

TEST_CASE("key: addresses and CIDRs are canonicalised")
{
  CHECK(key("192.0.2.7").text == "192.0.2.7");
  CHECK(key("192.0.2.0/24").text == "192.0.2.0/24");
  CHECK(key("2001:DB8:0::/32").text == "2001:db8::/32");
  CHECK(key("2001:db8::1").text == "2001:db8::1/128");
  CHECK(key("Example.COM.").text == "example.com");
  CHECK(key("*.example.com").text == "*.example.com");
  CHECK(key(".example.com").text == ".example.com");
}

TEST_CASE("key: malformed keys name the argument")
{
  CHECK(errorOf("192.0.2.1/24") == "host bits set in 192.0.2.1/24");
  CHECK(errorOf("300.1.2.3").find("300.1.2.3") != std::string::npos);
  CHECK(errorOf("10.0.0.0/33") == "bad prefix length in 10.0.0.0/33");
  CHECK(errorOf("exa mple.com").find("exa mple.com") != std::string::npos);
  CHECK(errorOf("2001:db8::/129") == "bad prefix length in 2001:db8::/129");
}

TEST_CASE("key: overlap covers containment both ways and wildcard names")
{
  CHECK(key("10.0.0.0/8").overlaps(key("10.1.2.3")));
  CHECK(key("10.1.2.3").overlaps(key("10.0.0.0/8")));
  CHECK_FALSE(key("10.0.0.0/8").overlaps(key("11.0.0.1")));
  CHECK(key("*.example.com").overlaps(key("mail.example.com")));
  CHECK_FALSE(key("*.example.com").overlaps(key("example.com")));
  CHECK(key(".example.com").overlaps(key("example.com")));
  CHECK(key("*.com").overlaps(key(".example.com")));
  CHECK_FALSE(key("10.0.0.1").overlaps(key("2001:db8::1")));
}

TEST_CASE("key: a key must fit the zone's dataset type")
{
  std::string error;
  CHECK(fitsDataset(key("192.0.2.0/24"), DatasetType::Ip4Trie, error));
  CHECK_FALSE(fitsDataset(key("2001:db8::1"), DatasetType::Ip4Trie, error));
  CHECK(error == "key 2001:db8::1/128 does not fit this zone's dataset type");
  CHECK_FALSE(fitsDataset(key("192.0.2.0/24"), DatasetType::Ip4TSet, error));
  CHECK(fitsDataset(key("2001:db8:1:2::/64"), DatasetType::Ip6TSet, error));
  CHECK(zoneSpelling(key("2001:db8:1:2::/64"), DatasetType::Ip6TSet) == "2001:db8:1:2");
  CHECK_FALSE(fitsDataset(key("example.com"), DatasetType::Ip6Trie, error));
}
