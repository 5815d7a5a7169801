#pragma once

#include "server/file_stamp.hpp"
#include "server/named_thread.hpp"
#include "server/snapshot_holder.hpp"
#include "shun/config/config.hpp"
#include "shun/server/reload_counters.hpp"
#include "shun/zone/load.hpp"

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace shun::server {

/// Logs a load's diagnostics: up to kLoggedPerKind errors and as many warnings, then how many more
/// there were (shund --check lists them all), so that a broken million-line file cannot flood the log.
inline constexpr std::size_t kLoggedPerKind = 20;
void logDiagnostics(const std::vector<zone::Diagnostic>& diagnostics);

/// Loads the zones and publishes good snapshots. A load with an error diagnostic is rejected: the last
/// good snapshot stays and the diagnostics are logged. Reloads run on the reloader's own thread.
class Reloader {
public:
  Reloader(const config::RuntimeConfig& runtime, SnapshotHolder& holder, metrics::ZoneSlots& slots);
  ~Reloader();
  /// The first load, on the calling thread. Publishes the result when it has no errors, or when
  /// acceptErrors (-q). Returns the result for the caller to report.
  zone::LoadResult loadInitial(bool acceptErrors);
  /// Starts the reload thread.
  void start();
  /// Asks the thread to reload if a file changed (any thread, e.g. on SIGHUP or the -c tick).
  void request();
  /// Stops and joins the thread.
  void stop();
  /// Reload outcomes for /metrics.
  const ReloadCounters& counters() const { return d_counters; }

private:
  void run();
  bool reloadIfChanged();
  zone::LoadResult load();
  const config::RuntimeConfig& d_runtime;
  SnapshotHolder& d_holder;
  metrics::ZoneSlots& d_slots;
  std::vector<FileStamp> d_stamps; ///< of the files as last loaded (reload thread)
  std::vector<FileStamp> d_journalStamps; ///< of shunctl's journals as last loaded (reload thread)
  std::mutex d_mutex;
  std::condition_variable d_wake;
  bool d_requested = false, d_stopping = false;
  NamedThread d_thread;
  ReloadCounters d_counters;
};

} // namespace shun::server
