#include "zone_test_util.hpp"

#include <algorithm>
#include <catch2/catch.hpp>

using namespace zonetest;
using Strings = std::vector<std::string>;
using Codes = std::vector<std::uint32_t>;

TEST_CASE("ip4set: single addresses, partial octets, CIDR and ranges are listed")
{
  TempDir dir;
  auto result = loadOne(dir, "ip4set",
      "127.0.0.2\n10.1.2\n172.16/12 :3\n192.168.1.1-192.168.1.127 :4\n192.168.2.10-20 :5\n11.0.0.0/25 :6\n");
  REQUIRE(messages(result, dir).empty());
  const auto& ds = firstDataset(result);
  CHECK(ip4Answers(ds, ip4(127, 0, 0, 2)) == Codes { 0x7f000002 });
  CHECK(ip4Answers(ds, ip4(127, 0, 0, 1)).empty());
  CHECK(ip4Answers(ds, ip4(10, 1, 2, 255)) == Codes { 0x7f000002 });
  CHECK(ip4Answers(ds, ip4(10, 1, 3, 0)).empty());
  CHECK(ip4Answers(ds, ip4(172, 31, 255, 255)) == Codes { 0x7f000003 });
  CHECK(ip4Answers(ds, ip4(172, 32, 0, 0)).empty());
  CHECK(ip4Answers(ds, ip4(192, 168, 1, 0)).empty());
  CHECK(ip4Answers(ds, ip4(192, 168, 1, 1)) == Codes { 0x7f000004 });
  CHECK(ip4Answers(ds, ip4(192, 168, 1, 127)) == Codes { 0x7f000004 });
  CHECK(ip4Answers(ds, ip4(192, 168, 1, 128)).empty());
  CHECK(ip4Answers(ds, ip4(192, 168, 2, 9)).empty());
  CHECK(ip4Answers(ds, ip4(192, 168, 2, 20)) == Codes { 0x7f000005 });
  CHECK(ip4Answers(ds, ip4(11, 0, 0, 127)) == Codes { 0x7f000006 });
  CHECK(ip4Answers(ds, ip4(11, 0, 0, 128)).empty());
}

TEST_CASE("ip4set: the most specific octet level answers with all its values")
{
  TempDir dir;
  auto result = loadOne(dir, "ip4set",
      "1.2.3.4 :2:first\n1.2.3.4 :3:second\n1.2.3.0/24 "
      ":4:wide\n10.0.0.0/8\n!10.1.2.3\n5.6.7.8\n!5.6.7.0/24\n");
  const auto& ds = firstDataset(result);
  CHECK(ip4Answers(ds, ip4(1, 2, 3, 4)) == Codes { 0x7f000002, 0x7f000003 });
  CHECK(ip4Answers(ds, ip4(1, 2, 3, 5)) == Codes { 0x7f000004 });
  CHECK(ip4Answers(ds, ip4(10, 1, 2, 3)).empty());
  CHECK(ip4Answers(ds, ip4(10, 1, 2, 4)) == Codes { 0x7f000002 });
  CHECK(ip4Answers(ds, ip4(5, 6, 7, 8)) == Codes { 0x7f000002 }); // a wider exclusion does not hide it
  CHECK(ip4Answers(ds, ip4(5, 6, 7, 9)).empty());
}

TEST_CASE("ip4trie: longest prefix decides and exclusions work at every prefix boundary")
{
  TempDir dir;
  auto result = loadOne(dir, "ip4trie",
      "10.0.0.0/8 :2\n!10.0.0.0/16\n10.0.128.0/17 :3\n!10.0.128.0/32\n10.0.255.255 :4\n0/0 :9\n");
  REQUIRE(messages(result, dir).empty());
  const auto& ds = firstDataset(result);
  CHECK(ip4Answers(ds, ip4(9, 255, 255, 255)) == Codes { 0x7f000009 });
  CHECK(ip4Answers(ds, ip4(10, 1, 0, 0)) == Codes { 0x7f000002 });
  CHECK(ip4Answers(ds, ip4(10, 255, 255, 255)) == Codes { 0x7f000002 });
  CHECK(ip4Answers(ds, ip4(10, 0, 0, 0)).empty());
  CHECK(ip4Answers(ds, ip4(10, 0, 127, 255)).empty());
  CHECK(ip4Answers(ds, ip4(10, 0, 128, 0)).empty());
  CHECK(ip4Answers(ds, ip4(10, 0, 128, 1)) == Codes { 0x7f000003 });
  CHECK(ip4Answers(ds, ip4(10, 0, 255, 254)) == Codes { 0x7f000003 });
  CHECK(ip4Answers(ds, ip4(10, 0, 255, 255)) == Codes { 0x7f000004 });
  CHECK(ip4Answers(ds, ip4(11, 0, 0, 0)) == Codes { 0x7f000009 });
}

TEST_CASE("ip4trie: an exclusion inside a listed /24 is not listed, its neighbours are")
{
  TempDir dir;
  auto result = loadOne(dir, "ip4trie", "192.0.2\n! 192.0.2.128/25\n");
  const auto& ds = firstDataset(result);
  CHECK(ip4Answers(ds, ip4(192, 0, 2, 127)) == Codes { 0x7f000002 });
  CHECK(ip4Answers(ds, ip4(192, 0, 2, 128)).empty());
  CHECK(ip4Answers(ds, ip4(192, 0, 2, 255)).empty());
}

TEST_CASE("ip4trie: a duplicate prefix keeps the first value with rbldnsd's warning naming the key")
{
  TempDir dir;
  auto result = loadOne(dir, "ip4trie", "1.2.3.0/24 :2\n1.2.3.0/24 :3\n");
  CHECK(ip4Answers(firstDataset(result), ip4(1, 2, 3, 9)) == Codes { 0x7f000002 });
  CHECK(messages(result, dir) == Strings { "data:2: warning: duplicated entry for 1.2.3.0/24" });
  CHECK_FALSE(result.hasErrors());
}

TEST_CASE("ip4trie: duplicates across files name the later file and its line, the earlier value wins")
{
  TempDir dir;
  std::string first = dir.write("first", "# comment\n1.2.3.4 :2\n10.0.0.0/8 :2\n5.5.5.5\n");
  std::string second = dir.write("second", "\n5.5.5.5 :4\n1.2.3.4 :3\n\n10.0.0.0/8 :3\n1.2.3.4 :5\n");
  auto result = shun::zone::loadSnapshot(
      { shun::zone::parseZoneSpec("bl.example:ip4trie:" + first + "," + second) }, {});
  const auto& ds = firstDataset(result);
  CHECK(ip4Answers(ds, ip4(1, 2, 3, 4)) == Codes { 0x7f000002 });
  CHECK(ip4Answers(ds, ip4(10, 9, 9, 9)) == Codes { 0x7f000002 });
  CHECK(ip4Answers(ds, ip4(5, 5, 5, 5)) == Codes { 0x7f000002 });
  auto warnings = messages(result, dir);
  std::sort(warnings.begin(), warnings.end());
  CHECK(warnings
      == Strings { "second:2: warning: duplicated entry for 5.5.5.5",
          "second:3: warning: duplicated entry for 1.2.3.4",
          "second:5: warning: duplicated entry for 10.0.0.0/8",
          "second:6: warning: duplicated entry for 1.2.3.4" });
}

TEST_CASE("ip6trie: a duplicate prefix is named as rbldnsd names it, gzip and exclusions too")
{
  TempDir dir;
  auto result = loadOne(dir, "ip6trie", "2001:db8::/32 :2\n! 2001:db8::1\n2001:db8::/32 :3\n!2001:db8::1\n");
  auto warnings = messages(result, dir);
  std::sort(warnings.begin(), warnings.end());
  CHECK(warnings
      == Strings { "data:3: warning: duplicated entry for 2001:db8::/32",
          "data:4: warning: duplicated entry for !2001:db8::1" });
}

TEST_CASE("ip4set: a value change in the middle of a file applies from there on")
{
  TempDir dir;
  std::string zone = ":2:default\n";
  for (int i = 0; i < 40; ++i)
    zone += "10.0.0." + std::to_string(i) + (i % 7 == 3 ? " :5:own\n" : "\n");
  zone += ":3:changed\n";
  for (int i = 40; i < 80; ++i)
    zone += "10.0.0." + std::to_string(i) + (i == 50 ? "\n!10.0.0.50\n" : "\n");
  zone += "10.0.0.5\n";
  auto result = loadOne(dir, "ip4set", zone);
  REQUIRE(messages(result, dir).empty());
  const auto& ds = firstDataset(result);
  for (int i = 0; i < 80; ++i) {
    INFO("10.0.0." << i);
    Codes expected = i == 50 ? Codes {}
                             : Codes { i % 7 == 3 && i < 40 ? 0x7f000005u
                                     : i < 40               ? 0x7f000002u
                                                            : 0x7f000003u };
    if (i == 5)
      expected.push_back(0x7f000003);
    CHECK(ip4Answers(ds, ip4(10, 0, 0, static_cast<unsigned>(i))) == expected);
  }
}

TEST_CASE("loader: bad lines are skipped and reported as file:line: reason")
{
  TempDir dir;
  auto result = loadOne(dir, "ip4set",
      "10\n1.2.3.4/24\n1.2.3.4 :5 foo\n1.2.3-2.3.4.5\n256.1.1.1\n1.2.3.4 :0.0.0.0:x\n$BOGUS 1\n#@ "
      "by\n1.1.1.1\n");
  CHECK(messages(result, dir)
      == Strings { "data:1: invalid address \"10\"",
          "data:2: invalid range (non-zero host part) \"1.2.3.4/24\"", "data:3: invalid value \":5 foo\"",
          "data:4: invalid address \"1.2.3-2.3.4.5\"", "data:5: invalid address \"256.1.1.1\"",
          "data:6: invalid value \":0.0.0.0:x\"", "data:7: invalid or unrecognized special entry $BOGUS",
          "data:8: bad #@ metadata: expected key=value, got \"by\"" });
  CHECK(result.hasErrors());
  CHECK(ip4Answers(firstDataset(result), ip4(1, 1, 1, 1)) == Codes { 0x7f000002 });
  CHECK(ip4Answers(firstDataset(result), ip4(1, 2, 3, 4)).empty());
}

TEST_CASE("loader: -e masks host bits instead of rejecting them")
{
  TempDir dir;
  shun::zone::LoadOptions options;
  options.acceptHostBits = true;
  auto result = loadOne(dir, "ip4trie", "1.2.3.4/24\n", "bl.example", options);
  CHECK(messages(result, dir).empty());
  CHECK(ip4Answers(firstDataset(result), ip4(1, 2, 3, 200)) == Codes { 0x7f000002 });
}

TEST_CASE("loader: $MAXRANGE4 refuses larger ranges with the reason")
{
  TempDir dir;
  auto result
      = loadOne(dir, "ip4set", "$MAXRANGE4 /24\n10.0.0.0/16\n10.1.1.0/24\n$MAXRANGE4 /8\n10.2.0.0/16\n");
  CHECK(messages(result, dir)
      == Strings { "data:2: range too large (65536 addresses, $MAXRANGE4 allows 256)",
          "data:5: range too large (65536 addresses, $MAXRANGE4 allows 256)" });
  CHECK(ip4Answers(firstDataset(result), ip4(10, 1, 1, 1)) == Codes { 0x7f000002 });
}

TEST_CASE("loader: values, default lines and TXT templates")
{
  TempDir dir;
  auto result = loadOne(dir, "ip4set",
      "1.0.0.1\n:3:Listed $\n1.0.0.2\n1.0.0.3 :4\n1.0.0.4 :5:\n1.0.0.5 custom # text\n1.0.0.6 ; comment\n"
      "1.0.0.7:127.0.1.2:  spaced\n$1 see http://x/\n1.0.0.8 :2:$1$\n");
  REQUIRE(messages(result, dir).empty());
  const auto& ds = firstDataset(result);
  auto one = [&](unsigned last) {
    auto values = valuesOf(ds, ds.ip4.find(ip4(1, 0, 0, last)));
    REQUIRE(values.size() == 1);
    return values[0];
  };
  CHECK((one(1).a == 0x7f000002 && !one(1).hasTxt));
  CHECK((one(2).a == 0x7f000003 && one(2).txt == "Listed $"));
  CHECK((one(3).a == 0x7f000004 && one(3).txt == "Listed $"));
  CHECK((one(4).a == 0x7f000005 && !one(4).hasTxt));
  CHECK((one(5).a == 0x7f000003 && one(5).txt == "custom # text"));
  CHECK((one(6).a == 0x7f000003 && one(6).txt == "Listed $"));
  CHECK((one(7).a == 0x7f000102 && one(7).txt == "spaced"));
  auto id = ds.sets.set(ds.ip4.find(ip4(1, 0, 0, 8)))[0];
  char out[256];
  auto length = shun::store::expandTemplate(ds.values.compiled(id).txt, "1.0.0.8", out);
  CHECK(std::string(out, length) == "see http://x/1.0.0.8");
}

TEST_CASE("loader: the default value is reset at every file except in tsets")
{
  TempDir dir;
  std::string a = dir.write("a", ":3:from a\n1.0.0.1\n"), b = dir.write("b", "1.0.0.2\n");
  auto result
      = shun::zone::loadSnapshot({ shun::zone::parseZoneSpec("bl.example:ip4trie:" + a + "," + b) }, {});
  const auto& ds = firstDataset(result);
  CHECK(ip4Answers(ds, ip4(1, 0, 0, 1)) == Codes { 0x7f000003 });
  CHECK(ip4Answers(ds, ip4(1, 0, 0, 2)) == Codes { 0x7f000002 });
  std::string c = dir.write("c", "1.0.0.3 :9:ignored\n:4:tset wide\n:5:second ignored\n"),
              d = dir.write("d", "1.0.0.4\n");
  auto tset
      = shun::zone::loadSnapshot({ shun::zone::parseZoneSpec("bl.example:ip4tset:" + c + ":" + d) }, {});
  CHECK(messages(tset, dir).empty());
  CHECK(ip4Answers(firstDataset(tset), ip4(1, 0, 0, 3)) == Codes { 0x7f000004 });
  CHECK(ip4Answers(firstDataset(tset), ip4(1, 0, 0, 4)) == Codes { 0x7f000004 });
}

TEST_CASE("ip4tset: only full dotted quads, no exclusions")
{
  TempDir dir;
  auto result = loadOne(dir, "ip4tset", "1.2.3.4\n1.2.3\n!1.2.3.4\n1.2.3.0/24\n");
  CHECK(messages(result, dir)
      == Strings { "data:2: invalid address (ip4tset wants a full dotted quad) \"1.2.3\"",
          "data:3: invalid entry: ip4tset has no exclusions",
          "data:4: invalid address (ip4tset wants a full dotted quad) \"1.2.3.0/24\"" });
  CHECK(ip4Answers(firstDataset(result), ip4(1, 2, 3, 4)) == Codes { 0x7f000002 });
}

TEST_CASE("metadata: a #@ line applies to the next entry of the same file")
{
  TempDir dir;
  auto result = loadOne(dir, "ip4set",
      "#@ added=2026-11-20T10:00:00Z expires=2026-11-27T10:00:00Z ttl=5m evidence=\"12 trap hits\"\n"
      "# an ordinary comment in between\n1.2.3.4 :3:x\n1.2.3.5 :3:x\n#@policy default=7d\n1.2.3.6\n#@ "
      "by=bob\n");
  CHECK(messages(result, dir) == Strings { "data:7: warning: #@ metadata is not followed by an entry" });
  const auto& ds = firstDataset(result);
  auto listed = valuesOf(ds, ds.ip4.find(ip4(1, 2, 3, 4)));
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].listing == 1);
  CHECK(listed[0].ttl == 300);
  CHECK(listed[0].expires == 1795773600);
  CHECK(ds.listings.at(1).evidence == "12 trap hits");
  CHECK(valuesOf(ds, ds.ip4.find(ip4(1, 2, 3, 5))).at(0).listing == 0);
  CHECK(valuesOf(ds, ds.ip4.find(ip4(1, 2, 3, 6))).at(0).listing == 0);
}

TEST_CASE("metadata: a malformed #@code, #@contact or other directive is a file:line warning, entries load")
{
  TempDir dir;
  auto result = loadOne(dir, "ip4trie",
      "#@code 127.0.0.3 Spam help=\"no end\n#@code 127.0.0.4\n#@code spam Spam source\n#@contact call us\n"
      "#@selfremoval allowed=perhaps\n#@policy default=soon\n#@code 127.0.0.2 Listed\n"
      "#@contact abuse@bl.example\n#@unknown is kept\n1.2.3.4 :3:x\n");
  CHECK(messages(result, dir)
      == Strings { "data:1: warning: #@code: help= lacks its closing quote",
          "data:2: warning: #@code wants a code and its meaning",
          "data:3: warning: #@code: 'spam' is not an answer code (an IPv4 address such as 127.0.0.2)",
          "data:4: warning: #@contact wants an e-mail address or an http(s) URL",
          "data:5: warning: bad #@selfremoval field 'allowed=perhaps'",
          "data:6: warning: bad #@policy setting \"default=soon\"" });
  CHECK_FALSE(result.hasErrors());
  CHECK(ip4Answers(firstDataset(result), ip4(1, 2, 3, 4)) == Codes { 0x7f000003 });
}

TEST_CASE("metadata: listing TTLs are clamped by -t min:max")
{
  TempDir dir;
  shun::zone::LoadOptions options;
  options.minTtl = 60;
  options.maxTtl = 3600;
  auto result
      = loadOne(dir, "ip4trie", "$TTL 1d\n#@ ttl=10\n1.2.3.4\n#@ ttl=2h\n1.2.3.5\n", "bl.example", options);
  const auto& ds = firstDataset(result);
  CHECK(ds.ttl == 3600);
  CHECK(valuesOf(ds, ds.ip4.find(ip4(1, 2, 3, 4))).at(0).ttl == 60);
  CHECK(valuesOf(ds, ds.ip4.find(ip4(1, 2, 3, 5))).at(0).ttl == 3600);
}

TEST_CASE("ttl: a TTL above 2^31-1 is served as 2^31-1 (RFC 2181 section 8)")
{
  TempDir dir;
  auto result = loadOne(dir, "ip4trie",
      "$SOA 3000000000 ns.example. h.example. 1 600 300 86400 60\n$NS 4294967295 ns.example.\n"
      "$TTL 2147483648\n#@ ttl=4000000000\n1.2.3.4\n1.2.3.5\n");
  const auto& ds = firstDataset(result);
  CHECK(ds.ttl == 2147483647);
  CHECK(ds.soa->ttl == 2147483647);
  CHECK(ds.ns->ttl == 2147483647);
  CHECK(valuesOf(ds, ds.ip4.find(ip4(1, 2, 3, 4))).at(0).ttl == 2147483647);
  auto generic = loadOne(dir, "generic", "@ 3000000000 A 127.0.0.2\n");
  REQUIRE(firstDataset(generic).generic.all().size() == 1);
  CHECK(firstDataset(generic).generic.all()[0].ttl == 2147483647);
}

// ip4set and ip4trie read a plain "a.b.c.d[/len]" key in one pass: the lines just off that shape must still
// say what the general parser says, and the values and comments after the key must still apply.
TEST_CASE("loader: keys near the common dotted quad shape keep their messages in ip4set and ip4trie")
{
  for (const char* type : { "ip4set", "ip4trie" }) {
    INFO(type);
    TempDir dir;
    auto result = loadOne(dir, type,
        "1.2.3.4/33\n1.2.3.4x\n1.2.3.4/24\n1.2.3.4/\n1.2.3.5:127.0.0.5\n1.2.3.6#c\n1.2.3.7;c\n1.2.3.8\t:4\n"
        "!1.2.3.10\n1.2.3.0/24 :6\n 1.2.4.0/24\n! 1.2.5.1\n1.2.5.0/24 :7\n1.2.6.1 :5 foo\n1.2.3.0/024\n");
    CHECK(messages(result, dir)
        == Strings { "data:1: invalid address \"1.2.3.4/33\"", "data:2: invalid address \"1.2.3.4\"",
            "data:3: invalid range (non-zero host part) \"1.2.3.4/24\"",
            "data:4: invalid address \"1.2.3.4/\"", "data:14: invalid value \":5 foo\"",
            "data:15: invalid address \"1.2.3.0/024\"" });
    const auto& ds = firstDataset(result);
    CHECK(ip4Answers(ds, ip4(1, 2, 3, 5)) == Codes { 0x7f000005 });
    CHECK(ip4Answers(ds, ip4(1, 2, 3, 6)) == Codes { 0x7f000002 });
    CHECK(ip4Answers(ds, ip4(1, 2, 3, 7)) == Codes { 0x7f000002 });
    CHECK(ip4Answers(ds, ip4(1, 2, 3, 8)) == Codes { 0x7f000004 });
    CHECK(ip4Answers(ds, ip4(1, 2, 3, 10)).empty());
    CHECK(ip4Answers(ds, ip4(1, 2, 3, 11)) == Codes { 0x7f000006 });
    CHECK(ip4Answers(ds, ip4(1, 2, 4, 1)) == Codes { 0x7f000002 });
    CHECK(ip4Answers(ds, ip4(1, 2, 5, 1)).empty());
    CHECK(ip4Answers(ds, ip4(1, 2, 5, 2)) == Codes { 0x7f000007 });
    CHECK(ip4Answers(ds, ip4(1, 2, 6, 1)).empty());
  }
}
