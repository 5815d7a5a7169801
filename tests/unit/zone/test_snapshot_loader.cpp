#include "zone_test_util.hpp"

#include <catch2/catch.hpp>
#include <zlib.h>

using namespace zonetest;
using Strings = std::vector<std::string>;
using Codes = std::vector<std::uint32_t>;

TEST_CASE("loader: gzip files are read transparently unless -C")
{
  TempDir dir;
  std::string path = dir.path() + "/data.gz";
  gzFile gz = gzopen(path.c_str(), "wb");
  REQUIRE(gz);
  std::string text = "1.2.3.4 :3\n";
  gzwrite(gz, text.data(), static_cast<unsigned>(text.size()));
  gzclose(gz);
  auto result = shun::zone::loadSnapshot({ shun::zone::parseZoneSpec("bl.example:ip4trie:" + path) }, {});
  CHECK(messages(result, dir).empty());
  CHECK(ip4Answers(firstDataset(result), ip4(1, 2, 3, 4)) == Codes { 0x7f000003 });
  shun::zone::LoadOptions plain;
  plain.gunzip = false;
  auto raw = shun::zone::loadSnapshot({ shun::zone::parseZoneSpec("bl.example:ip4trie:" + path) }, plain);
  CHECK(raw.hasErrors());
}

TEST_CASE("loader: CRLF lines and a last line without newline load")
{
  TempDir dir;
  auto result = loadOne(dir, "ip4trie", ":3:crlf text\r\n1.2.3.4\r\n1.2.3.5");
  CHECK(messages(result, dir).empty());
  const auto& ds = firstDataset(result);
  CHECK(valuesOf(ds, ds.ip4.find(ip4(1, 2, 3, 4))).at(0).txt == "crlf text");
  CHECK(ip4Answers(ds, ip4(1, 2, 3, 5)) == Codes { 0x7f000003 });
}

TEST_CASE("loader: a missing file is an error with line 0 and leaves the dataset empty")
{
  TempDir dir;
  std::string good = dir.write("good", "1.2.3.4\n");
  auto result = shun::zone::loadSnapshot(
      { shun::zone::parseZoneSpec("bl.example:ip4trie:" + good + "," + dir.path() + "/missing") }, {});
  CHECK(messages(result, dir) == Strings { "missing: cannot open: No such file or directory" });
  REQUIRE(result.snapshot);
  CHECK(ip4Answers(firstDataset(result), ip4(1, 2, 3, 4)).empty());
}

TEST_CASE("loader: $TIMESTAMP beyond 2038 works; a future stamp refuses the data")
{
  TempDir dir;
  shun::zone::LoadOptions options;
  options.now = 1795168800; // 2026-11-20
  auto result = loadOne(dir, "ip4trie", "$TIMESTAMP 2026:01:01 2099-01-01\n1.2.3.4\n", "bl.example", options);
  CHECK(messages(result, dir).empty());
  CHECK(firstDataset(result).timestampExpires == 4070908800);
  auto future = loadOne(dir, "ip4trie", "1.2.3.4\n$TIMESTAMP 20270101 +1d\n", "bl.example", options);
  CHECK(messages(future, dir)
      == Strings { "data:2: $TIMESTAMP 2027-01-01T00:00:00Z is in the future: data not loaded" });
  CHECK(ip4Answers(firstDataset(future), ip4(1, 2, 3, 4)).empty());
}

TEST_CASE("ip6trie and ip6tset: prefixes, nibble edges and exclusions")
{
  TempDir dir;
  auto trie = loadOne(dir, "ip6trie", "2001:db8:c000/36 :3\n!2001:db8:c000::/128\n2001:db8::1\n::1\n2001\n");
  CHECK(messages(trie, dir) == Strings { "data:5: invalid address \"2001\"" });
  const auto& ds = firstDataset(trie);
  using shun::store::Ip6;
  Ip6 base = Ip6 { 0x20010db8c0000000ULL } << 64;
  CHECK(ds.ip6.find(base) == shun::store::kNoPayload);
  CHECK(ds.ip6.find(base + 1) != shun::store::kNoPayload);
  CHECK(ds.ip6.find((Ip6 { 0x20010db8cfffffffULL } << 64) | ~std::uint64_t {}) != shun::store::kNoPayload);
  CHECK(ds.ip6.find(Ip6 { 0x20010db8d0000000ULL } << 64) == shun::store::kNoPayload);
  CHECK(ds.ip6.find(1) != shun::store::kNoPayload);
  auto tset = loadOne(dir, "ip6tset", "2001:db8:1:2\n!2001:db8:1:2::5\n2001:db8::/64\n");
  CHECK(messages(tset, dir)
      == Strings { "data:3: invalid address (ip6tset wants exactly four groups, a /64) \"2001:db8::/64\"" });
  const auto& ts = firstDataset(tset);
  Ip6 net = Ip6 { 0x20010db800010002ULL } << 64;
  CHECK(ts.ip6.find(net + 4) != shun::store::kNoPayload);
  CHECK(ts.ip6.find(net + 5) == shun::store::kNoPayload);
}

TEST_CASE("ip6tset: streamed entries and entries with metadata answer the first default line's value")
{
  TempDir dir;
  auto tset = loadOne(dir, "ip6tset",
      "2001:db8:1:1\n#@ ttl=5m\n2001:db8:1:2\n!2001:db8:1:1::7\n:4:first\n2001:db8:1:3\n:5:second\n");
  CHECK(messages(tset, dir).empty());
  const auto& ds = firstDataset(tset);
  using shun::store::Ip6;
  for (std::uint64_t net : { 0x20010db800010001ULL, 0x20010db800010002ULL, 0x20010db800010003ULL }) {
    auto values = valuesOf(ds, ds.ip6.find((Ip6 { net } << 64) + 1));
    REQUIRE(values.size() == 1);
    CHECK(values[0].a == 0x7f000004);
    CHECK(values[0].txt == "first");
    CHECK(values[0].ttl == (net == 0x20010db800010002ULL ? 300u : 0u));
  }
  CHECK(ds.ip6.find((Ip6 { 0x20010db800010001ULL } << 64) + 7) == shun::store::kNoPayload);
}

TEST_CASE("dnset: exact, wildcard, both, and exclusions")
{
  TempDir dir;
  auto result
      = loadOne(dir, "dnset", "Example.COM :3\n*.wild.com\n.both.org\n!bad.both.org\n!*.sub.wild.com\n*.\n");
  CHECK(messages(result, dir) == Strings { "data:6: invalid domain name \"*.\"" });
  const auto& names = firstDataset(result).names;
  auto listed = [&](std::string_view dotted) {
    return names.find(wireName(dotted)).payload != shun::store::NameSet::kNoPayloadName;
  };
  CHECK(listed("example.com"));
  CHECK_FALSE(listed("a.example.com"));
  CHECK_FALSE(listed("wild.com"));
  CHECK(listed("sub.wild.com"));
  CHECK_FALSE(listed("x.sub.wild.com"));
  CHECK(listed("both.org"));
  CHECK_FALSE(listed("bad.both.org"));
  CHECK(listed("x.bad.both.org"));
}

TEST_CASE("generic: A, TXT, MX, AAAA with TTLs and the apex")
{
  TempDir dir;
  auto result = loadOne(dir, "generic",
      "@ IN A 127.0.0.8\nwww 3000 A 127.1\nabout TXT \"a b\"\n@ 1h MX 10 mx.example.com.\nv6 AAAA "
      "2001:db8::1\n"
      "bad MX 10\nx CNAME y\n");
  CHECK(messages(result, dir)
      == Strings { "data:6: invalid MX record \"10\"",
          "data:7: unsupported record type \"CNAME\" (generic knows A, TXT, MX, AAAA)" });
  auto records = firstDataset(result).generic.all();
  REQUIRE(records.size() == 5);
  auto apex = firstDataset(result).generic.find("");
  REQUIRE(apex.size() == 2);
  CHECK(apex[0].rdata == std::string("\x7f\0\0\x08", 4));
  CHECK(apex[1].ttl == 3600);
  CHECK(apex[1].rdata
      == std::string("\0\x0a\x02mx\x07"
                     "example\x03"
                     "com\0",
          18));
  auto www = firstDataset(result).generic.find(std::string("\x03www"));
  REQUIRE(www.size() == 1);
  CHECK((www[0].ttl == 3000 && www[0].rdata == std::string("\x7f\0\0\x01", 4)));
}

TEST_CASE("combined: sub-datasets at their sub-zones, SOA and NS from the base")
{
  TempDir dir;
  auto result = loadOne(dir, "combined",
      "$NS 1w ns1.ex.com\n$SOA 1w ns1.ex.com admin.ex.com 7 2h 2h 1w 1h\n$TTL 60\n"
      "$DATASET ip4set:proxy proxies @\n:2:Open proxy\n127.0.0.2\n$DATASET dnset relays\nexample.net\n");
  CHECK(messages(result, dir).empty());
  const auto& zone = result.snapshot->zones.at(0);
  REQUIRE(zone.datasets.size() == 3);
  CHECK(zone.datasets[0].subzone == std::string("\x07proxies"));
  CHECK(zone.datasets[1].subzone.empty());
  CHECK(zone.datasets[2].subzone == std::string("\x06relays"));
  CHECK(zone.datasets[0].dataset->ttl == 60);
  REQUIRE(zone.soa);
  CHECK(zone.soa->serial == 7);
  CHECK(zone.soa->ttl == 604800);
  CHECK(zone.hasIp4);
  auto early = loadOne(dir, "combined", "1.2.3.4\n$DATASET ip4set x @\n");
  CHECK(messages(early, dir) == Strings { "data: data before the first $DATASET (line 1)" });
}

TEST_CASE("acl: actions per client address")
{
  TempDir dir;
  std::string data = dir.write("data", "1.2.3.4\n");
  std::string acl = dir.write("acl",
      "10.0.0.0/8 :refuse\n10.1.0.0/16 =pass\n10.2.0.0/16 :2:Client $ blocked\n"
      "10.3.0.0/16\n2001:db8::/32 :empty\n");
  auto result = shun::zone::loadSnapshot(
      { shun::zone::parseZoneSpec("bl.example:ip4set:" + data),
          shun::zone::parseZoneSpec("bl.example:acl:" + acl), shun::zone::parseZoneSpec(":acl:" + acl) },
      {});
  CHECK(messages(result, dir).empty());
  const auto* zoneAcl = result.snapshot->zones.at(0).acl;
  REQUIRE(zoneAcl);
  CHECK(result.snapshot->globalAcl == zoneAcl);
  auto action = [&](shun::store::Ip4 ip) {
    return zoneAcl->aclActions.at(zoneAcl->sets.set(zoneAcl->ip4.find(ip))[0]);
  };
  using shun::store::AclAction;
  CHECK(action(ip4(10, 9, 9, 9)) == AclAction::Refuse);
  CHECK(action(ip4(10, 1, 9, 9)) == AclAction::Pass);
  CHECK(action(ip4(10, 2, 9, 9)) == AclAction::Always);
  CHECK(action(ip4(10, 3, 9, 9)) == AclAction::Ignore);
  CHECK(zoneAcl->aclActions.at(zoneAcl->sets.set(zoneAcl->ip6.find(shun::store::Ip6 { 0x20010db8 } << 96))[0])
      == AclAction::Empty);
}

TEST_CASE("zones: shared datasets, most specific zone first, SOA from the first dataset that has one")
{
  TempDir dir;
  std::string a = dir.write("a", "1.2.3.4\n"), soa = dir.write("soa", "$SOA 60 ns. admin. 0 1 2 3 4\n");
  auto result = shun::zone::loadSnapshot({ shun::zone::parseZoneSpec("bl.example:ip4set:" + a),
                                             shun::zone::parseZoneSpec("Sub.BL.example.:ip4set:" + a),
                                             shun::zone::parseZoneSpec("bl.example:generic:" + soa) },
      {});
  const auto& zones = result.snapshot->zones;
  REQUIRE(zones.size() == 2);
  CHECK(zones[0].text == "sub.bl.example");
  CHECK(zones[0].name
      == std::string("\x03sub\x02"
                     "bl\x07"
                     "example\0",
          16));
  CHECK(zones[0].datasets[0].dataset == zones[1].datasets[0].dataset);
  CHECK(result.snapshot->datasets.size() == 2);
  REQUIRE(zones[1].soa);
  CHECK(zones[1].soa->serial > 0);
  CHECK_FALSE(zones[0].soa);
}

TEST_CASE("parseZoneSpec: splits files on ',' and ':' and rejects bad arguments")
{
  auto spec = shun::zone::parseZoneSpec("BL.Example.:ip4set:a,b:c");
  CHECK(spec.zone == "bl.example");
  CHECK(spec.files == Strings { "a", "b", "c" });
  CHECK(spec.datasetKey() == "ip4set:a,b,c");
  CHECK_THROWS_WITH(
      shun::zone::parseZoneSpec("bl.example"), "zone spec \"bl.example\": expected zone:type:file[,file...]");
  CHECK_THROWS_WITH(shun::zone::parseZoneSpec("bl.example:ip5set:a"),
      "zone spec \"bl.example:ip5set:a\": unknown dataset type \"ip5set\"");
  CHECK_THROWS_WITH(shun::zone::parseZoneSpec("bl.example:ip4set:"),
      "zone spec \"bl.example:ip4set:\": no data file given");
  CHECK_THROWS_WITH(shun::zone::parseZoneSpec(":ip4set:a"),
      "zone spec \":ip4set:a\": an empty zone name is only valid for the global acl");
}
