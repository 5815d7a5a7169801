// Ip4Map lookups on maps built from the gen_zone.py distribution (run: build-bench/bench/microbench).
#include "shun/store/ip_map.hpp"
#include "synthetic.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <memory>

using namespace shun::store;
using shun::bench::syntheticQueries;
using shun::bench::syntheticZone;

namespace {

constexpr std::size_t kBatch = 1 << 16; // lookups per benchmark call

struct BuiltMap {
  ValueSets sets;
  Ip4Map map;
  std::vector<Ip4> hits30; ///< 30 % listed, as bench/run.py's query files
  std::vector<Ip4> hits100;
  double buildSeconds = 0;
};

std::unique_ptr<BuiltMap> buildMap(std::uint32_t lines, Overlap overlap)
{
  auto entries = syntheticZone(lines);
  auto built = std::make_unique<BuiltMap>();
  auto started = std::chrono::steady_clock::now();
  Ip4MapBuilder builder(overlap);
  std::uint32_t origin = 0;
  for (const auto& e : entries) {
    // ip4set priority is the octet level, ip4trie's the prefix length.
    auto priority
        = overlap == Overlap::LongestPrefix ? e.prefix : static_cast<std::uint8_t>((e.prefix + 7) / 8 * 8);
    builder.add(e.first, e.last, priority, e.value, false, ++origin);
    if (e.hasExclusion)
      builder.add(e.excluded, e.excluded, 32, 0, true, ++origin);
  }
  std::vector<std::uint32_t> dropped;
  built->map = builder.build(built->sets, dropped);
  built->buildSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  built->hits30 = syntheticQueries(entries, kBatch, 0.3);
  built->hits100 = syntheticQueries(entries, kBatch, 1.0);
  return built;
}

// Maps are built once per size and kept: building 5M entries takes seconds.
const BuiltMap& mapOf(std::uint32_t lines, Overlap overlap)
{
  static std::unique_ptr<BuiltMap> maps[2][2];
  auto& slot = maps[lines > 1000000][overlap == Overlap::UnionPerLevel];
  if (!slot)
    slot = buildMap(lines, overlap);
  return *slot;
}

std::uint64_t lookupAll(const Ip4Map& map, const std::vector<Ip4>& queries)
{
  std::uint64_t found = 0;
  for (Ip4 q : queries)
    found += map.find(q) != kNoPayload;
  return found;
}

// A plain timed loop next to Catch's statistics, so the output states lookups/s directly.
void reportRate(const char* what, const BuiltMap& built, const std::vector<Ip4>& queries)
{
  constexpr int kRounds = 50;
  std::uint64_t found = 0;
  auto started = std::chrono::steady_clock::now();
  for (int r = 0; r < kRounds; ++r)
    found += lookupAll(built.map, queries);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  double lookups = static_cast<double>(kRounds) * static_cast<double>(queries.size());
  std::printf("%s: %.1f M lookups/s (%.1f ns/lookup), %.0f%% found, %zu ranges, %.1f MiB, built in %.2f s\n",
      what, lookups / seconds / 1e6, seconds / lookups * 1e9, 100.0 * static_cast<double>(found) / lookups,
      built.map.rangeCount(), static_cast<double>(built.map.memoryBytes()) / (1 << 20), built.buildSeconds);
}

void benchmarkMap(const char* name, std::uint32_t lines, Overlap overlap)
{
  const BuiltMap& built = mapOf(lines, overlap);
  reportRate(name, built, built.hits30);
  BENCHMARK(std::string(name) + ", 65536 lookups, 30% listed")
  {
    return lookupAll(built.map, built.hits30);
  };
  BENCHMARK(std::string(name) + ", 65536 lookups, all listed")
  {
    return lookupAll(built.map, built.hits100);
  };
}

} // namespace

TEST_CASE("micro: Ip4Map longest-prefix lookups, 1M-line zone", "[micro][ip4map]")
{
  benchmarkMap("Ip4Map ip4trie 1M", 1000000, Overlap::LongestPrefix);
}

TEST_CASE("micro: Ip4Map longest-prefix lookups, 5M-line zone", "[micro][ip4map][5m]")
{
  benchmarkMap("Ip4Map ip4trie 5M", 5000000, Overlap::LongestPrefix);
}

TEST_CASE("micro: Ip4Map union-per-level (ip4set) lookups, 1M-line zone", "[micro][ip4map]")
{
  benchmarkMap("Ip4Map ip4set 1M", 1000000, Overlap::UnionPerLevel);
}

TEST_CASE("micro: Ip4Map union-per-level (ip4set) lookups, 5M-line zone", "[micro][ip4map][5m]")
{
  benchmarkMap("Ip4Map ip4set 5M", 5000000, Overlap::UnionPerLevel);
}
