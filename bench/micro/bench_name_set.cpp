// NameSet (dnset) lookups on a 1M-name set with wildcards and exclusions.
#include "cpu_timer.hpp"
#include "shun/store/name_set.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <memory>
#include <random>
#include <string>

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
