#pragma once

#include <cstdint>
#include <mutex>
#include <string>

// The process's file descriptor budget: what the kernel allows, split between DNS over TCP, the web page
// and a reserve for everything else (reloads, journals, logs, the stats file).
namespace shun::server {

/// How many connections each listener may hold, derived from the descriptor limit.
struct DescriptorPlan {
  std::uint64_t limit = 0; ///< RLIMIT_NOFILE (soft) in effect
  std::uint64_t reserve = 0; ///< kept free: descriptors already open plus room for reloads and logs
  std::uint32_t tcp = 0; ///< DNS TCP connections, all workers together
  std::uint32_t http = 0; ///< web connections
};

/// Raises the soft RLIMIT_NOFILE to the hard limit (systemd's default soft limit is 1024) and returns the
/// soft limit now in effect. Startup only.
std::uint64_t raiseDescriptorLimit();

/// Descriptors open in this process now (entries of /proc/self/fd; 0 if it cannot be read).
std::uint64_t openDescriptors();

/// Splits limit between the wanted TCP and HTTP connection caps after keeping a reserve of inUse + 64
/// (at least an eighth of the limit). A cap is lowered, never raised; each stays at least 1 (HTTP: 0 when
/// httpWanted is 0, no web page).
DescriptorPlan planDescriptors(
    std::uint64_t limit, std::uint64_t inUse, std::uint32_t tcpWanted, std::uint32_t httpWanted);

/// A warning logged at most once per interval, with the count of those held back. Thread-safe.
class ThrottledWarning {
public:
  explicit ThrottledWarning(std::int64_t intervalSeconds);
  /// Logs message (plus how many were held back) unless one was logged less than an interval before now.
  void warn(const std::string& message, std::int64_t now);

private:
  std::mutex d_mutex;
  std::int64_t d_interval;
  std::int64_t d_last = 0;
  bool d_any = false;
  std::uint64_t d_held = 0;
};

} // namespace shun::server
