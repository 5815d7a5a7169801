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

// The forms every IPv6 key parser of the loaders answers, as the parser before the loader's speed-up
// (issue 14) answered them: the CIDR key (host bits refused, then accepted), the ip6tset /64 and the
// ip6tset exclusion ("-": rejected).
TEST_CASE("ip parse: IPv6 keys accept and reject the same forms as before, with the same values")
{
  struct Form {
    const char* key;
    const char* cidr;
    const char* cidrWithHostBits;
    const char* slash64;
    const char* address;
  };
  static const Form kForms[] = {
    { "2001:db8::/32", "2001:db8::/32", "2001:db8::/32", "-", "-" },
    { "2001:db8::", "2001:db8::/128", "2001:db8::/128", "-", "2001:db8::" },
    { "::", "::/128", "::/128", "-", "::" },
    { "::/0", "::/0", "::/0", "-", "-" },
    { "::1", "::1/128", "::1/128", "-", "::1" },
    { "1::", "1::/128", "1::/128", "-", "1::" },
    { "1::/16", "1::/16", "1::/16", "-", "-" },
    { "::ffff:1.2.3.4", "invalid address", "invalid address", "-", "-" },
    { "2001:db8:0:0:0:0:0:1", "2001:db8::1/128", "2001:db8::1/128", "-", "2001:db8::1" },
    { "2001:DB8:a:B::c", "2001:db8:a:b::c/128", "2001:db8:a:b::c/128", "-", "2001:db8:a:b::c" },
    { "2001:db8", "2001:db8::/32", "2001:db8::/32", "-", "-" },
    { "2001:db8/32", "2001:db8::/32", "2001:db8::/32", "-", "-" },
    { "2001", "invalid address", "invalid address", "-", "-" },
    { "2001/16", "2001::/16", "2001::/16", "-", "-" },
    { "2204:f89a:c386:bbc4", "2204:f89a:c386:bbc4::/64", "2204:f89a:c386:bbc4::/64",
        "2204:f89a:c386:bbc4::", "-" },
    { "2204:f89a:c386:bbc4:0:0:0:0/64", "2204:f89a:c386:bbc4::/64", "2204:f89a:c386:bbc4::/64", "-", "-" },
    { "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8/128", "1:2:3:4:5:6:7:8/128", "-", "1:2:3:4:5:6:7:8" },
    { "1:2:3:4:5:6:7:8:9", "invalid address", "invalid address", "-", "-" },
    { "1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0/128", "1:2:3:4:5:6:7:0/128", "-", "1:2:3:4:5:6:7:0" },
    { "::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8/128", "0:2:3:4:5:6:7:8/128", "-", "0:2:3:4:5:6:7:8" },
    { "1:2:3:4::5:6:7:8", "invalid address", "invalid address", "-", "-" },
    { "1:2:3::5:6:7", "1:2:3::5:6:7/128", "1:2:3::5:6:7/128", "-", "1:2:3::5:6:7" },
    { ":::", "invalid address", "invalid address", "-", "-" },
    { "1:::2", "invalid address", "invalid address", "-", "-" },
    { "1::2::3", "invalid address", "invalid address", "-", "-" },
    { ":1", "invalid address", "invalid address", "-", "-" },
    { "1:", "invalid address", "invalid address", "-", "-" },
    { "1::2:", "invalid address", "invalid address", "-", "-" },
    { "12345::", "invalid address", "invalid address", "-", "-" },
    { "0000:00:0::/64", "::/64", "::/64", "-", "-" },
    { "00000::", "invalid address", "invalid address", "-", "-" },
    { "fffff::", "invalid address", "invalid address", "-", "-" },
    { "g::", "invalid address", "invalid address", "-", "-" },
    { "2001:db8:: ", "invalid address", "invalid address", "-", "-" },
    { "2001:db8::1/127", "invalid range (non-zero host part)", "2001:db8::/127", "-", "-" },
    { "2001:db8::1/128", "2001:db8::1/128", "2001:db8::1/128", "-", "-" },
    { "2001:db8::/129", "invalid address", "invalid address", "-", "-" },
    { "2001:db8::/032", "2001:db8::/32", "2001:db8::/32", "-", "-" },
    { "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128",
        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", "-", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" },
    { "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128",
        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", "-", "-" },
    { "", "invalid address", "invalid address", "-", "-" },
    { ":", "invalid address", "invalid address", "-", "-" },
    { "::/", "invalid address", "invalid address", "-", "-" },
    { "/64", "invalid address", "invalid address", "-", "-" },
    { "1.2.3.4", "invalid address", "invalid address", "-", "-" },
  };
  auto cidrOf = [](std::string_view key, bool acceptHostBits) {
    Ip6Prefix prefix;
    if (const char* error = parseIp6Cidr(key, acceptHostBits, prefix))
      return std::string(error);
    return formatIp6(prefix.first) + "/" + std::to_string(prefix.length);
  };
  for (const Form& form : kForms) {
    INFO("key \"" << form.key << '"');
    CHECK(cidrOf(form.key, false) == form.cidr);
    CHECK(cidrOf(form.key, true) == form.cidrWithHostBits);
    Ip6Bits bits = 0;
    CHECK((parseIp6Slash64(form.key, bits) ? std::string("-") : formatIp6(bits)) == form.slash64);
    CHECK((parseIp6Address(form.key, bits) ? std::string("-") : formatIp6(bits)) == form.address);
  }
}
