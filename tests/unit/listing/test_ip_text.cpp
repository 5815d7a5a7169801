#include "shun/listing/ip_text.hpp"

#include <catch2/catch.hpp>

using namespace shun;
using namespace shun::listing;

namespace {

// "a.b.c.d/len" of a parsed CIDR key, or the parser's reason.
std::string cidr(std::string_view key, bool acceptHostBits = false)
{
  Ip4Bits first = 0;
  unsigned length = 0;
  if (const char* error = parseIp4Cidr(key, acceptHostBits, first, length))
    return error;
  return std::to_string(first >> 24) + "." + std::to_string(first >> 16 & 255) + "."
      + std::to_string(first >> 8 & 255) + "." + std::to_string(first & 255) + "/" + std::to_string(length);
}

} // namespace

TEST_CASE("ip parse: IPv4 octets take one to three digits up to 255, leading zeros included")
{
  CHECK(cidr("1.2.3.4") == "1.2.3.4/32");
  CHECK(cidr("255.255.255.255") == "255.255.255.255/32");
  CHECK(cidr("01.002.3.4") == "1.2.3.4/32");
  CHECK(cidr("10.20.30") == "10.20.30.0/24");
  CHECK(cidr("10.20/16") == "10.20.0.0/16");
  CHECK(cidr("10.0.0.0/8") == "10.0.0.0/8");
  for (const char* bad : { "256.1.1.1", "1.2.3.256", "1234.1.1.1", "1.2.3.0004", "1..2.3", "1.2.3.", ".1.2.3",
           "", "a.b.c.d", "1.2.3.4.5" })
    CHECK(cidr(bad) == "invalid address");
}

TEST_CASE("ip parse: host bits under the prefix are refused unless accepted, then masked")
{
  CHECK(cidr("10.1.2.3/8") == "invalid range (non-zero host part)");
  CHECK(cidr("10.1.2.3/8", true) == "10.0.0.0/8");
}

TEST_CASE("ip parse: ip4set keys take ranges with a shortened end")
{
  Ip4Range range;
  REQUIRE(parseIp4SetKey("192.168.2.10-20", false, range) == nullptr);
  CHECK(range.first == 0xc0a8020a);
  CHECK(range.last == 0xc0a80214);
  CHECK(std::string(parseIp4SetKey("192.168.2.20-10", false, range)) == "invalid range (start after end)");
  CHECK(std::string(parseIp4SetKey("10", false, range)) == "invalid address"); // write 10/8
}

TEST_CASE("ip parse: prefix lengths are decimal, up to 32 (two digits) or 128 (three digits)")
{
  CHECK(cidr("0.0.0.0/0") == "0.0.0.0/0");
  CHECK(cidr("10.0.0.0/08") == "10.0.0.0/8");
  CHECK(cidr("10.0.0.0/32") == "10.0.0.0/32");
  CHECK(cidr("10.0.0.0/33") == "invalid address");
  CHECK(cidr("10.0.0.0/008") == "invalid address");
  CHECK(cidr("10.0.0.0/") == "invalid address");
  CHECK(cidr("10.0.0.0/+8") == "invalid address");
  Ip6Prefix prefix;
  CHECK(parseIp6Cidr("2001:db8::/128", false, prefix) == nullptr);
  CHECK(prefix.length == 128);
  CHECK(parseIp6Cidr("2001:db8::/032", false, prefix) == nullptr);
  CHECK(prefix.length == 32);
  CHECK(parseIp6Cidr("2001:db8::/129", false, prefix) != nullptr);
  CHECK(parseIp6Cidr("2001:db8::/0032", false, prefix) != nullptr);
  CHECK(parseIp6Cidr("2001:db8::/", false, prefix) != nullptr);
}
