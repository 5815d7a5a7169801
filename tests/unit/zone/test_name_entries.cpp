#include "zone/text.hpp"
#include "zone_test_util.hpp"

#include <catch2/catch.hpp>

using namespace zonetest;
using Strings = std::vector<std::string>;

namespace {

bool listed(const shun::store::Dataset& ds, std::string_view name)
{
  std::string wire = shun::zone::nameToWire(name).value_or("");
  return ds.names.find(wire).payload != shun::store::NameSet::kNoPayloadName;
}

} // namespace

TEST_CASE("dnset: bad names are reported as file:line: reason and skipped, the rest is loaded")
{
  TempDir dir;
  std::string longLabel(64, 'a');
  std::string longName = std::string(60, 'b') + "." + std::string(60, 'c') + "." + std::string(60, 'd') + "."
      + std::string(60, 'e') + "." + std::string(60, 'f') + ".example"; // 313 bytes in wire form
  auto result = loadOne(dir, "dnset",
      "good.example\n"
      "a..b.example\n"
          + longLabel + ".example\n" + longName + "\n"
          + "caf\xc3\xa9.example\n"
            "trailing.example.\n"
            "UPPER.Example\n"
            ".xn--bcher-kva.example\n"
            "good.example\n");
  CHECK(messages(result, dir)
      == Strings { "data:2: invalid domain name \"a..b.example\"",
          "data:3: invalid domain name \"" + longLabel + ".example\"",
          "data:4: " + ("invalid domain name \"" + longName).substr(0, 200) + "...", // messages are cut
          "data:5: invalid domain name \"caf\xc3\xa9.example\"" });
  const auto& ds = firstDataset(result);
  CHECK(listed(ds, "good.example"));
  CHECK(listed(ds, "trailing.example"));
  CHECK(listed(ds, "upper.example"));
  CHECK(listed(ds, "xn--bcher-kva.example"));
  CHECK(listed(ds, "www.xn--bcher-kva.example"));
  CHECK_FALSE(listed(ds, "b.example"));
  CHECK(ds.names.size() == 5); // the repeated good.example is one entry
}

TEST_CASE("dnset: names read straight into keys and names with escapes are listed alike; limits hold")
{
  TempDir dir;
  std::string labels127; // 127 one-letter labels: 253 characters, the longest name
  for (int i = 0; i < 127; ++i)
    labels127 += i ? ".x" : "x";
  std::string label63(63, 'q');
  auto result = loadOne(dir, "dnset",
      "\\065bc.Example\n" // an escape: the slow path, lower-cased as the fast one
      "a\\.dot.example\n" // an escaped dot is a byte of its label
      "a\\032b.example\n" // a space is not a host name byte, escaped or not
      "*.Wild.EXAMPLE.\n"
          + labels127 + "\n" + labels127 + "x\n" + label63 + ".example\n" + label63 + "q.example\n");
  CHECK(messages(result, dir)
      == Strings { "data:3: invalid domain name \"a\\032b.example\"",
          "data:6: " + ("invalid domain name \"" + labels127 + "x").substr(0, 200)
              + "...", // messages are cut
          "data:8: invalid domain name \"" + label63 + "q.example\"" });
  const auto& ds = firstDataset(result);
  CHECK(listed(ds, "abc.example"));
  CHECK(listed(ds, "a\\.dot.example"));
  CHECK_FALSE(listed(ds, "dot.example"));
  CHECK(listed(ds, "host.wild.example"));
  CHECK_FALSE(listed(ds, "wild.example"));
  CHECK(listed(ds, labels127));
  CHECK(listed(ds, label63 + ".example"));
  CHECK(ds.names.size() == 5);
}

TEST_CASE("ip6trie: bad prefixes are reported as file:line: reason and skipped, the rest is loaded")
{
  TempDir dir;
  auto result
      = loadOne(dir, "ip6trie", "2001:db8::/129\n2001:db8::g/64\n1:2:3:4:5:6:7:8:9\n2001:db8:1::/48\n");
  auto reported = messages(result, dir);
  REQUIRE(reported.size() == 3);
  for (std::size_t i = 0; i < reported.size(); ++i)
    CHECK(reported[i].rfind("data:" + std::to_string(i + 1) + ": invalid", 0) == 0);
  const auto& ds = firstDataset(result);
  CHECK(ds.ip6.find(static_cast<shun::store::Ip6>(0x20010db80001ffffULL) << 64) != shun::store::kNoPayload);
  CHECK(ds.ip6.find(static_cast<shun::store::Ip6>(0x20010db80002ffffULL) << 64) == shun::store::kNoPayload);
}
