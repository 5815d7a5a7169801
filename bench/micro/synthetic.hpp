#pragma once
// The address distribution of bench/gen_zone.py (90 % /32, 9 % /24../29, 1 % /16../23, an exclusion
// in about one range in five; first octets 15 mod 16 never listed), for in-process benchmarks.
// Same shape as the Python generator, not the same addresses (the seeding differs).

#include "shun/store/address.hpp"

#include <cstdint>
#include <random>
#include <vector>

namespace shun::bench {

/// One generated zone line: a CIDR block, a value index (0: default) and an optional exclusion.
struct SyntheticEntry {
  store::Ip4 first = 0;
  store::Ip4 last = 0;
  std::uint8_t prefix = 32;
  std::uint32_t value = 0;
  bool hasExclusion = false;
  store::Ip4 excluded = 0;
};

/// A bijection on 32-bit integers (lowbias32), as in gen_zone.py.
constexpr std::uint32_t mix32(std::uint32_t x)
{
  x ^= x >> 16;
  x *= 0x7feb352dU;
  x ^= x >> 15;
  x *= 0x846ca68bU;
  return x ^ (x >> 16);
}

/// True for the never-listed part of the address space.
constexpr bool reservedAddress(store::Ip4 address)
{
  return ((address >> 24) & 15) == 15;
}

/// Line i of a synthetic zone with the given key.
inline SyntheticEntry syntheticEntry(std::uint32_t i, std::uint32_t key)
{
  SyntheticEntry e;
  std::uint32_t address = mix32(i ^ key);
  while (reservedAddress(address))
    address = mix32(address ^ key); // cycle walking keeps distinct lines distinct
  std::uint32_t kind = mix32(i ^ (key * 3U + 1U)) % 1000;
  e.prefix = static_cast<std::uint8_t>(kind < 900 ? 32 : kind < 990 ? 24 + kind % 6 : 16 + kind % 8);
  std::uint32_t hostMask = e.prefix == 32 ? 0 : ~0U >> e.prefix;
  e.first = address & ~hostMask;
  e.last = e.first | hostMask;
  std::uint32_t v = mix32(i ^ (key * 5U + 2U)) % 100;
  e.value = v >= 97 ? v - 96 : 0;
  std::uint32_t x = mix32(i ^ (key * 7U + 3U));
  if (e.prefix < 32 && x % 5 == 0) {
    e.hasExclusion = true;
    e.excluded = e.first + 1 + (x >> 3) % hostMask;
  }
  return e;
}

/// count entries of a zone with the given key.
inline std::vector<SyntheticEntry> syntheticZone(std::uint32_t count, std::uint32_t key = 0x5eed)
{
  std::vector<SyntheticEntry> entries;
  entries.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i)
    entries.push_back(syntheticEntry(i, key));
  return entries;
}

/// count query addresses: hitRatio of them inside listed blocks (not excluded), the rest never listed.
inline std::vector<store::Ip4> syntheticQueries(
    const std::vector<SyntheticEntry>& entries, std::size_t count, double hitRatio, std::uint32_t seed = 7)
{
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> coin(0.0, 1.0);
  std::vector<store::Ip4> queries;
  queries.reserve(count);
  for (std::size_t n = 0; n < count; ++n) {
    if (coin(rng) < hitRatio) {
      const SyntheticEntry& e = entries[rng() % entries.size()];
      store::Ip4 address = e.first + (e.prefix == 32 ? 0 : rng() & (e.last - e.first));
      queries.push_back(e.hasExclusion && address == e.excluded ? e.first : address);
    } else {
      queries.push_back((rng() & 0x00ffffffU) | ((rng() % 16 * 16 + 15) << 24));
    }
  }
  return queries;
}

} // namespace shun::bench
