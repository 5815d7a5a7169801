// What one memory miss costs on this machine: a dependent random walk over working sets of the sizes the
// stores have (a lookup that must take one miss cannot be faster than this).
#include "cpu_timer.hpp"
#include "shun/store/huge_page_allocator.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <numeric>
#include <random>
#include <vector>

namespace {

constexpr std::size_t kLine = 64;
constexpr std::size_t kSteps = 1 << 22;

/// Thread CPU nanoseconds a load where each load's address is the previous load's value, over mebibytes
/// of memory: one slot a cache line, visited in one random cycle. Slots: a std::vector (4 KiB pages) or
/// one with the stores' HugePageAllocator (2 MiB pages where the kernel grants them: fewer TLB misses).
template <typename Slots> double nanosPerDependentLoad(std::size_t mebibytes)
{
  std::size_t lines = (mebibytes << 20) / kLine;
  std::vector<std::size_t> order(lines);
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), std::mt19937_64(7));
  constexpr std::size_t kSlots = kLine / sizeof(std::size_t);
  Slots next(lines * kSlots);
  for (std::size_t i = 0; i < lines; ++i)
    next[order[i] * kSlots] = order[(i + 1) % lines] * kSlots;
  std::size_t at = 0;
  for (std::size_t i = 0; i < lines; ++i) // once around: the pages are mapped, the TLB warm where it can be
    at = next[at];
  return microbench::cpuNanosPerItem(kSteps, 3, [&] {
    for (std::size_t i = 0; i < kSteps; ++i)
      at = next[at];
    return at;
  });
}

} // namespace

TEST_CASE("micro: memory latency, dependent loads", "[micro][latency]")
{
  using HugeSlots = std::vector<std::size_t, shun::store::detail::HugePageAllocator<std::size_t>>;
  for (std::size_t mebibytes : { 2, 12, 64, 1024 })
    std::printf("dependent random load over %zu MiB: %.1f ns, %.1f ns with huge pages\n", mebibytes,
        nanosPerDependentLoad<std::vector<std::size_t>>(mebibytes),
        nanosPerDependentLoad<HugeSlots>(mebibytes));
}
