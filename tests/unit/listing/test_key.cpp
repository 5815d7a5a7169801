#include "shun/listing/key.hpp"

#include <catch2/catch.hpp>

using namespace shun::listing;

namespace {

Key key(const char* text)
{
  std::string error;
  auto parsed = parseKey(text, error);
  INFO(error);
  REQUIRE(parsed);
  return *parsed;
}

std::string errorOf(const char* text, KeyForms forms = kOperatorKeys)
{
  std::string error;
  CHECK_FALSE(parseKey(text, error, forms));
  return error;
}

} // namespace

TEST_CASE("key: addresses and CIDRs are canonicalised")
{
  CHECK(key("192.0.2.7").text == "192.0.2.7");
  CHECK(key("192.0.2.0/24").text == "192.0.2.0/24");
  CHECK(key("2001:DB8:0::/32").text == "2001:db8::/32");
  CHECK(key("2001:db8::1").text == "2001:db8::1");
  CHECK(key("0::ffff:7f00:1").text == "::ffff:7f00:1");
  CHECK(key("2001:db8:0:1:0:0:0:1").text == "2001:db8:0:1::1");
  CHECK(key("1:0:2:3:4:5:6:7").text == "1:0:2:3:4:5:6:7");
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

TEST_CASE("key: shortened zone-file forms are refused as ambiguous when typed")
{
  CHECK(errorOf("10.1") == "not an IPv4 address: 10.1");
  CHECK(errorOf("2001:db8") == "not an IPv6 address: 2001:db8");
  CHECK(errorOf("::ffff:192.0.2.1") == "not an IPv6 address: ::ffff:192.0.2.1");
  CHECK(key("2001:db8/32").text == "2001:db8::/32");
}

TEST_CASE("key: lookup keys are single addresses or plain names; exclusions only where allowed")
{
  CHECK(errorOf("192.0.2.0/24", kLookupKeys) == "not a single address: 192.0.2.0/24");
  CHECK_FALSE(errorOf("*.example.com", kLookupKeys).empty());
  CHECK(errorOf("!192.0.2.7") == "an exclusion is not allowed here: !192.0.2.7");
  std::string error;
  auto excluded = parseKey("!192.0.2.7", error, KeyForms { true, true, true });
  REQUIRE(excluded);
  CHECK(excluded->exclusion);
  CHECK(excluded->text == "!192.0.2.7");
}

TEST_CASE("key: the canonical text of every IP key reads back through the loader's grammar")
{
  for (const char* text : { "2001:db8::1", "::1", "::", "::ffff:7f00:2", "fe80::/10", "1:2:3:4:5:6:7:8" }) {
    Key parsed = key(text);
    INFO(parsed.text);
    Ip6Prefix prefix;
    REQUIRE(parseIp6Cidr(parsed.text, false, prefix) == nullptr);
    CHECK(prefix.first == parsed.v6First);
    CHECK(prefix.length == parsed.length);
  }
  Ip4Bits first = 0;
  unsigned length = 0;
  REQUIRE(parseIp4Cidr(key("192.0.2.0/24").text, false, first, length) == nullptr);
  CHECK((first == 0xc0000200 && length == 24));
}
