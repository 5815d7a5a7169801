#pragma once

#include "shun/config/config.hpp"
#include "shun/metrics/counters.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace shun::server {

/// Sums the workers' counters into rbldnsd-style reports, writes the "-s" file and the SIGUSR1/USR2
/// log lines. Control thread only.
class StatsKeeper {
public:
  /// counters: every worker's counters (they outlive the keeper's use). file: "-s" (may be off).
  StatsKeeper(std::vector<const metrics::WorkerCounters*> counters, const metrics::ZoneSlots& slots,
      config::OutputFile file, std::int64_t now);
  /// Counters since the last reset.
  metrics::StatsReport current() const;
  /// Appends a line to the stats file (absolute, or deltas since the last line with "+").
  void writeFile(std::int64_t now);
  /// SIGUSR1: logs the counters since the last reset (and writes the file). reset (SIGUSR2): then
  /// starts counting from zero and marks the file with a bare timestamp.
  void report(std::int64_t now, bool reset);
  /// At start: a bare timestamp marks where counting began.
  void start(std::int64_t now);
  /// At exit: the last line and a bare timestamp.
  void finish(std::int64_t now);

private:
  void append(const std::string& text);
  std::vector<const metrics::WorkerCounters*> d_counters;
  const metrics::ZoneSlots& d_slots;
  config::OutputFile d_file;
  metrics::StatsReport d_baseline; ///< at the last reset
  metrics::StatsReport d_lastWritten; ///< for "+" deltas
  std::int64_t d_resetAt;
};

} // namespace shun::server
