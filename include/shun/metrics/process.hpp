#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace shun::metrics {

/// The process_* figures Prometheus clients export (client_golang's process collector), for /metrics.
struct ProcessSample {
  double cpuSeconds = 0; ///< user + system CPU time
  std::uint64_t residentBytes = 0;
  std::uint64_t virtualBytes = 0;
  std::uint64_t openFds = 0;
  std::uint64_t maxFds = 0; ///< the soft RLIMIT_NOFILE
  double startTime = 0; ///< unix seconds
};

/// The fields of /proc/<pid>/stat text: utime and stime (clock ticks), starttime (ticks after boot),
/// vsize (bytes) and rss (pages) into sample, given ticks per second, the page size and the boot time
/// (unix seconds, /proc/stat "btime"). False if the text does not parse.
bool parseProcStat(
    std::string_view stat, long ticksPerSecond, long pageSize, std::int64_t bootTime, ProcessSample& sample);

/// This process now, from /proc/self (Linux); nullopt if /proc cannot be read.
std::optional<ProcessSample> sampleProcess();

} // namespace shun::metrics
