// zone::servedValues (the web page's and shunctl show's lookup) answers as the DNS path does.
#include "query/fixture.hpp"
#include "shun/zone/load.hpp"
#include "shun/zone/served.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <unistd.h>

using namespace shun;
using namespace shun::testing;

namespace {

constexpr std::int64_t kNow = 1'795'000'000;

std::string dotted(std::uint32_t ip)
{
  return listing::formatIp4(ip);
}

std::string reversed(std::uint32_t ip)
{
  return std::to_string(ip & 255) + "." + std::to_string(ip >> 8 & 255) + "." + std::to_string(ip >> 16 & 255)
      + "." + std::to_string(ip >> 24);
}

} // namespace

TEST_CASE("served: the web/shunctl lookup equals the DNS answer on random keys of a random zone")
{
  std::mt19937 random(12);
  std::string text = "$SOA 60 ns.bl.example. h.bl.example. 1 600 300 86400 60\n:127.0.0.2:Listed $\n";
  auto pick = [&] { return 0x0a000000u | (random() & 0xffff); }; // 10.0.0.0/16: dense overlaps
  for (int i = 0; i < 300; ++i) {
    std::uint32_t ip = pick();
    unsigned length = 20 + random() % 13;
    ip &= length == 32 ? ~0u : ~(~0u >> length);
    if (random() % 4 == 0)
      text += "#@ expires=" + listing::formatUtcTime(kNow + (random() % 2 ? -60 : 60)) + "\n";
    text += (random() % 7 == 0 ? "!" : "") + dotted(ip) + "/" + std::to_string(length) + " :"
        + std::to_string(2 + random() % 5) + ":code $\n";
  }
  auto path = std::filesystem::temp_directory_path() / ("served-equal-" + std::to_string(::getpid()));
  std::ofstream(path) << text;
  zone::LoadOptions options;
  options.now = kNow;
  auto result = zone::loadSnapshot({ zone::parseZoneSpec("bl.example:ip4trie:" + path.string()) }, options);
  std::filesystem::remove(path);
  REQUIRE(result.snapshot);
  const store::Dataset& dataset = *result.snapshot->datasets.front();
  int listed = 0;
  for (int i = 0; i < 2000; ++i) {
    std::uint32_t ip = pick();
    std::string error;
    auto key = listing::parseKey(dotted(ip), error);
    REQUIRE(key);
    std::vector<std::string> served;
    for (const auto& value : zone::servedValues(dataset, *key, kNow))
      served.push_back("A\t" + dotted(value.a));
    std::vector<std::string> answered;
    for (const std::string& line :
        ask(*result.snapshot, { reversed(ip) + ".bl.example", 1 }, kNow).response.answer)
      answered.push_back(line.substr(line.rfind("\tA\t") + 1));
    INFO(dotted(ip));
    CHECK(served == answered);
    listed += served.empty() ? 0 : 1;
  }
  CHECK(listed > 200); // both sides of the comparison are exercised
  CHECK(listed < 1800);
}
