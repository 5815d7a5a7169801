#pragma once

#include <atomic>
#include <cstdint>

namespace shun::server {

/// Reload outcomes, written by the reloader's thread and read by any thread (the web page's /metrics).
struct ReloadCounters {
  std::atomic<std::uint64_t> reloads { 0 }, failures { 0 };
  std::atomic<std::int64_t> lastReload { 0 }, lastFailure { 0 }; ///< unix seconds; 0: never
};

} // namespace shun::server
