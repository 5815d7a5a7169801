// Ip6Map (ip6trie) lookups on 500k prefixes: 70 % /64, 20 % /48, 10 % /128, as bench/gen_lists.py writes.
#include "cpu_timer.hpp"
#include "shun/store/ip6_map.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <memory>
#include <random>

using namespace shun::store;

namespace {

constexpr std::uint32_t kPrefixes = 500000;
constexpr std::size_t kBatch = 1 << 16;

struct BuiltMap {
  ValueSets sets;
  Ip6Map map;
  std::vector<Ip6> hits, misses;
  double buildSeconds = 0;
};

Ip6 lastOf(Ip6 first, unsigned length)
{
  return length == 128 ? first : first | (~Ip6 {} >> length);
}

const BuiltMap& builtMap()
{
  static std::unique_ptr<BuiltMap> built;
  if (built)
    return *built;
  built = std::make_unique<BuiltMap>();
  std::mt19937_64 rng(3);
  std::vector<std::pair<Ip6, unsigned>> prefixes;
  auto started = std::chrono::steady_clock::now();
  Ip6MapBuilder builder;
  for (std::uint32_t i = 0; i < kPrefixes; ++i) {
    unsigned kind = static_cast<unsigned>(rng() % 10);
    unsigned length = kind < 7 ? 64 : kind < 9 ? 48 : 128;
    Ip6 address = (static_cast<Ip6>(0x2000000000000000 | (rng() >> 3)) << 64) | rng();
    Ip6 first = address & ~lastOf(0, length);
    builder.add(first, lastOf(first, length), static_cast<std::uint8_t>(length), 0, false, i + 1);
    prefixes.emplace_back(first, length);
  }
  std::vector<std::uint32_t> dropped;
  built->map = builder.build(built->sets, dropped);
  built->buildSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  for (std::size_t n = 0; n < kBatch; ++n) {
    auto [first, length] = prefixes[rng() % prefixes.size()];
    built->hits.push_back(first | (static_cast<Ip6>(rng()) & lastOf(0, length)));
    built->misses.push_back((static_cast<Ip6>(0x3000000000000000 | (rng() >> 4)) << 64) | rng());
  }
  return *built;
}

std::uint64_t findAll(const Ip6Map& map, const std::vector<Ip6>& queries)
{
  std::uint64_t found = 0;
  for (Ip6 ip : queries)
    found += map.find(ip) != kNoPayload;
  return found;
}

} // namespace

TEST_CASE("micro: Ip6Map lookups, 500k prefixes", "[micro][ip6map]")
{
  const BuiltMap& built = builtMap();
  std::printf("Ip6Map 500k: %zu prefixes, %.1f MiB, built in %.2f s; found %llu/%zu hits, %llu/%zu misses\n",
      built.map.rangeCount(), static_cast<double>(built.map.memoryBytes()) / (1 << 20), built.buildSeconds,
      static_cast<unsigned long long>(findAll(built.map, built.hits)), kBatch,
      static_cast<unsigned long long>(findAll(built.map, built.misses)), kBatch);
  auto cpu = [&](const std::vector<Ip6>& queries) {
    return microbench::cpuNanosPerItem(queries.size(), 15, [&] { return findAll(built.map, queries); });
  };
  std::printf("Ip6Map 500k, median thread CPU per lookup: listed %.0f ns, unlisted %.0f ns\n",
      cpu(built.hits), cpu(built.misses));
  BENCHMARK("Ip6Map 500k, 65536 listed addresses")
  {
    return findAll(built.map, built.hits);
  };
  BENCHMARK("Ip6Map 500k, 65536 unlisted addresses")
  {
    return findAll(built.map, built.misses);
  };
}
