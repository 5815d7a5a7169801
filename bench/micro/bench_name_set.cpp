// NameSet (dnset) lookups on a 1M-name set with wildcards and exclusions.
#include "cpu_timer.hpp"
#include "shun/store/name_set.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

using namespace shun::store;

namespace {

constexpr std::uint32_t kNames = 1000000;
constexpr std::size_t kBatch = 1 << 16;

WireName wire(const std::string& dotted)
{
  WireName out;
  std::size_t start = 0;
  while (start <= dotted.size()) {
    std::size_t dot = dotted.find('.', start);
    if (dot == std::string::npos)
      dot = dotted.size();
    out.push_back(static_cast<char>(dot - start));
    out.append(dotted, start, dot - start);
    start = dot + 1;
  }
  return out;
}

// Spam-domain-like names: "<word><n>.<tld>", one in ten listed as "*.name", a few excluded hosts.
std::string domain(std::uint32_t i)
{
  static const char* const tlds[] = { "com", "net", "org", "info", "xyz", "top", "ru", "cn" };
  return "d" + std::to_string(i * 2654435761U % 100000007U) + "-mail." + tlds[i % 8];
}

struct BuiltSet {
  ValueSets sets;
  NameSet names;
  std::vector<WireName> hits, misses, wildcardHits;
  double buildSeconds = 0;
};

const BuiltSet& builtSet()
{
  static std::unique_ptr<BuiltSet> built;
  if (built)
    return *built;
  built = std::make_unique<BuiltSet>();
  auto started = std::chrono::steady_clock::now();
  NameSetBuilder builder;
  for (std::uint32_t i = 0; i < kNames; ++i) {
    bool wild = i % 10 == 0;
    builder.add(wire(domain(i)), wild ? NameMatch::Subdomains : NameMatch::Exact, i % 4, false);
    if (wild && i % 50 == 0)
      builder.add(wire("ok." + domain(i)), NameMatch::Exact, 0, true);
  }
  built->names = builder.build(built->sets);
  built->buildSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::mt19937 rng(11);
  for (std::size_t n = 0; n < kBatch; ++n) {
    std::uint32_t i = rng() % kNames;
    built->hits.push_back(wire(domain(i - i % 10 + 1 + rng() % 9)));
    built->wildcardHits.push_back(wire("mx" + std::to_string(n % 7) + "." + domain(i - i % 10)));
    built->misses.push_back(wire("www.example" + std::to_string(n) + ".com"));
  }
  return *built;
}

// The load benchmark's list (bench/gen_lists.py's distribution): registrable names of 5-16 random
// characters under weighted TLDs, one in ten with a host label, one in five listed as ".name" too.
const BuiltSet& dblLikeSet()
{
  static std::unique_ptr<BuiltSet> built;
  if (built)
    return *built;
  built = std::make_unique<BuiltSet>();
  static const char* const tlds[] = { "com", "net", "org", "ru", "info", "xyz", "top", "de", "cn", "online" };
  static const int weights[] = { 50, 10, 8, 6, 5, 5, 5, 4, 4, 3 };
  std::vector<const char*> tldTable;
  for (std::size_t t = 0; t < 10; ++t)
    tldTable.insert(tldTable.end(), static_cast<std::size_t>(weights[t]), tlds[t]);
  std::mt19937 rng(1);
  auto registrable = [&] {
    std::string label;
    for (std::size_t n = 5 + rng() % 12; label.size() < n;)
      label.push_back("abcdefghijklmnopqrstuvwxyz0123456789"[rng() % 36]);
    return label + "." + tldTable[rng() % tldTable.size()];
  };
  std::vector<std::pair<std::string, bool>> entries;
  auto started = std::chrono::steady_clock::now();
  NameSetBuilder builder;
  for (std::uint32_t i = 0; i < kNames; ++i) {
    std::string name = registrable();
    if (rng() % 10 == 0)
      name = (rng() % 2 ? "www." : "mail.") + name;
    bool both = rng() % 5 == 0;
    builder.add(wire(name), NameMatch::Exact, 0, false);
    if (both)
      builder.add(wire(name), NameMatch::Subdomains, 0, false);
    entries.emplace_back(std::move(name), both);
  }
  built->names = builder.build(built->sets);
  built->buildSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  for (std::size_t n = 0; n < kBatch; ++n) {
    built->hits.push_back(wire(entries[rng() % entries.size()].first));
    built->wildcardHits.push_back(
        wire("x" + std::to_string(n % 97) + "." + entries[rng() % entries.size()].first));
    built->misses.push_back(wire(registrable()));
  }
  // Keep only the wildcard queries that a ".name" entry answers (the others are misses under a listed name).
  std::erase_if(built->wildcardHits, [&](const WireName& q) {
    auto hit = built->names.find(q);
    return hit.payload == NameSet::kNoPayloadName || hit.listedName.size() == q.size();
  });
  return *built;
}

std::uint64_t findAll(const NameSet& names, const std::vector<WireName>& queries)
{
  std::uint64_t found = 0;
  for (const auto& q : queries)
    found += names.find(q).payload != NameSet::kNoPayloadName;
  return found;
}

} // namespace

TEST_CASE("micro: NameSet lookups, 1M names", "[micro][nameset]")
{
  const BuiltSet& built = builtSet();
  std::printf("NameSet 1M: %zu entries, %.1f MiB, built in %.2f s; found %llu/%zu exact, %llu/%zu wildcard, "
              "%llu/%zu misses\n",
      built.names.size(), static_cast<double>(built.names.memoryBytes()) / (1 << 20), built.buildSeconds,
      static_cast<unsigned long long>(findAll(built.names, built.hits)), kBatch,
      static_cast<unsigned long long>(findAll(built.names, built.wildcardHits)), kBatch,
      static_cast<unsigned long long>(findAll(built.names, built.misses)), kBatch);
  auto cpu = [&](const std::vector<WireName>& queries) {
    return microbench::cpuNanosPerItem(queries.size(), 15, [&] { return findAll(built.names, queries); });
  };
  std::printf(
      "NameSet 1M, median thread CPU per lookup: exact hit %.0f ns, wildcard hit %.0f ns, miss %.0f ns\n",
      cpu(built.hits), cpu(built.wildcardHits), cpu(built.misses));
  // The same 64 names again and again: their lines stay cached, so this is the lookup's own CPU, without
  // the memory latency that dominates the figures above on a busy machine.
  std::vector<WireName> cached;
  for (std::size_t n = 0; n < kBatch; ++n)
    cached.push_back(built.hits[n % 64]);
  std::printf("NameSet 1M, 64 names repeated (cached): exact hit %.0f ns\n", cpu(cached));
  const BuiltSet& dbl = dblLikeSet();
  auto cpuDbl = [&](const std::vector<WireName>& queries) {
    return microbench::cpuNanosPerItem(queries.size(), 15, [&] { return findAll(dbl.names, queries); });
  };
  // What shund does for a name that is not listed: find, then hasDescendant (NXDOMAIN or NODATA).
  auto serverMiss = microbench::cpuNanosPerItem(dbl.misses.size(), 15, [&] {
    std::uint64_t found = 0;
    for (const auto& q : dbl.misses)
      found += dbl.names.find(q).payload != NameSet::kNoPayloadName || dbl.names.hasDescendant(q);
    return found;
  });
  std::printf(
      "NameSet 1M DBL-like (gen_lists.py): %zu entries, %.1f MiB, built in %.2f s; median thread CPU per "
      "lookup: exact hit %.0f ns, wildcard hit %.0f ns (%zu queries), miss %.0f ns, miss + hasDescendant "
      "%.0f ns\n",
      dbl.names.size(), static_cast<double>(dbl.names.memoryBytes()) / (1 << 20), dbl.buildSeconds,
      cpuDbl(dbl.hits), cpuDbl(dbl.wildcardHits), dbl.wildcardHits.size(), cpuDbl(dbl.misses), serverMiss);
  BENCHMARK("NameSet 1M, 65536 exact hits")
  {
    return findAll(built.names, built.hits);
  };
  BENCHMARK("NameSet 1M, 65536 wildcard hits")
  {
    return findAll(built.names, built.wildcardHits);
  };
  BENCHMARK("NameSet 1M, 65536 misses")
  {
    return findAll(built.names, built.misses);
  };
}
