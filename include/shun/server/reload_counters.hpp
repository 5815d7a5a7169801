#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

namespace shun::server {

/// Upper bounds (seconds) of the reload-duration histogram's buckets; +Inf is implicit.
inline constexpr std::array<double, 7> kReloadBuckets { 0.01, 0.05, 0.25, 1, 5, 30, 120 };
/// What started a reload pass, as the trigger label of shun_server_reload_passes_total.
inline constexpr std::array<const char*, 6> kReloadTriggers { "signal", "timer", "web", "control", "journal",
  "merge" };

/// Reload outcomes, written by the reloader's thread and read by any thread (the web page's /metrics).
struct ReloadCounters {
  std::atomic<std::uint64_t> reloads { 0 }, failures { 0 };
  std::atomic<std::int64_t> lastReload { 0 }, lastFailure { 0 }; ///< unix seconds; 0: never
  /// Reload passes (a load attempt, whether or not it changed anything), by kReloadTriggers index; a pass
  /// with several causes counts under each.
  std::array<std::atomic<std::uint64_t>, kReloadTriggers.size()> passes {};
  /// Passes by duration: buckets[i] counts those within kReloadBuckets[i] and above the bound before it
  /// (the last: above every bound); cumulated when written out.
  std::array<std::atomic<std::uint64_t>, kReloadBuckets.size() + 1> buckets {};
  std::atomic<std::uint64_t> durationMicros { 0 }; ///< sum of the passes' durations
  std::atomic<std::uint64_t> lastDurationMicros { 0 }; ///< the last pass's

  /// Counts one pass of seconds (reloader thread).
  void recordDuration(double seconds)
  {
    std::size_t bucket = 0;
    while (bucket < kReloadBuckets.size() && seconds > kReloadBuckets[bucket])
      ++bucket;
    buckets[bucket].fetch_add(1, std::memory_order_relaxed);
    auto micros = static_cast<std::uint64_t>(seconds * 1e6);
    durationMicros.fetch_add(micros, std::memory_order_relaxed);
    lastDurationMicros.store(micros, std::memory_order_relaxed);
  }
};

} // namespace shun::server
