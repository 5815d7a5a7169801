#include "zone_test_util.hpp"

#include <catch2/catch.hpp>
#include <sstream>

using namespace zonetest;

namespace {

struct Block {
  std::string type;
  std::string text;
  int line;
};

// Fenced blocks of the README whose info string is a dataset type.
std::vector<Block> exampleBlocks(const std::string& path)
{
  std::ifstream in(path);
  std::vector<Block> blocks;
  std::optional<Block> open;
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    if (line.rfind("```", 0) != 0) {
      if (open)
        open->text += line + "\n";
      continue;
    }
    if (open) {
      blocks.push_back(*open);
      open.reset();
    } else {
      open = Block { line.substr(3), "", number };
    }
  }
  return blocks;
}

} // namespace

TEST_CASE("zonedata README: every example block loads without a diagnostic")
{
  auto blocks = exampleBlocks(SHUN_SOURCE_DIR "/zonedata/README.md");
  int loaded = 0;
  for (const Block& block : blocks) {
    if (block.type == "sh")
      continue;
    INFO("README.md block at line " << block.line << " (" << block.type << ")");
    TempDir dir;
    std::string zone = block.type == "acl" ? "bl.example:ip4set:" + dir.write("x", "1.1.1.1\n") : "";
    std::vector<shun::zone::ZoneSpec> specs { shun::zone::parseZoneSpec(
        "bl.example:" + block.type + ":" + dir.write("block", block.text)) };
    if (!zone.empty())
      specs.push_back(shun::zone::parseZoneSpec(zone));
    auto result = shun::zone::loadSnapshot(specs, {});
    CHECK(messages(result, dir).empty());
    ++loaded;
  }
  CHECK(loaded >= 8);
}

TEST_CASE("zonedata: the demo zones load cleanly and list the RFC 5782 test points")
{
  std::string base = SHUN_SOURCE_DIR "/zonedata/";
  std::vector<shun::zone::ZoneSpec> specs;
  for (const char* spec : { "bl.example:generic:bl.example.generic", "bl.example:ip4set:bl.example.ip4",
           "bl.example:ip6trie:bl.example.ip6", "dbl.example:generic:dbl.example.generic",
           "dbl.example:dnset:dbl.example.dn" }) {
    std::string text = spec;
    auto colon = text.rfind(':');
    specs.push_back(shun::zone::parseZoneSpec(text.substr(0, colon + 1) + base + text.substr(colon + 1)));
  }
  auto result = shun::zone::loadSnapshot(specs, {});
  for (const auto& diagnostic : result.diagnostics)
    FAIL_CHECK(diagnostic.format());
  const auto& zones = result.snapshot->zones;
  REQUIRE(zones.size() == 2);
  CHECK(zones[0].text == "dbl.example");
  const auto& bl = zones[1];
  REQUIRE(bl.soa);
  CHECK(bl.soa->serial != 0);
  CHECK((bl.hasIp4 && bl.hasIp6));
  const auto& ip4set = *bl.datasets.at(1).dataset;
  CHECK(ip4Answers(ip4set, ip4(127, 0, 0, 2)) == std::vector<std::uint32_t> { 0x7f000002 });
  CHECK(ip4Answers(ip4set, ip4(127, 0, 0, 1)).empty());
  CHECK(ip4Answers(ip4set, ip4(192, 0, 2, 25)).empty());
  const auto& dnset = *zones[0].datasets.at(1).dataset;
  CHECK(dnset.names.find(std::string("\x04test", 5)).payload != shun::store::NameSet::kNoPayloadName);
  CHECK(dnset.names.find(std::string("\x07invalid", 8)).payload == shun::store::NameSet::kNoPayloadName);
}
