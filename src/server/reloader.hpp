#pragma once

#include "server/access_key_loader.hpp"
#include "server/named_thread.hpp"
#include "server/reload_record.hpp"
#include "server/snapshot_holder.hpp"
#include "shun/config/config.hpp"
#include "shun/server/reload_counters.hpp"
#include "shun/zone/incremental_loader.hpp"
#include "shun/zone/load.hpp"

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace shun::server {

/// Logs a load's diagnostics: up to kLoggedPerKind errors and as many warnings, then how many more
/// there were (shund --check lists them all), so that a broken million-line file cannot flood the log.
inline constexpr std::size_t kLoggedPerKind = 20;
void logDiagnostics(const std::vector<zone::Diagnostic>& diagnostics);

/// Logs what a load did with each dataset ("loaded ...", "applied N journal record(s) to ...", "still
/// serving the previous data of ...").
void logDatasets(const std::vector<zone::DatasetReport>& datasets);

/// Why a reload was asked for; logged with it. Bits: several may be pending at once.
enum class ReloadTrigger : unsigned { Timer = 1, Signal = 2, Web = 4, Control = 8 };

/// Loads the zones and publishes new snapshots, rebuilding only the datasets that changed
/// (zone::IncrementalLoader); a dataset whose reload has errors keeps serving its previous data while
/// the others' changes are published. Reloads run on the reloader's own thread, woken by request() and,
/// through inotify, by shunctl's journal writes (a 200 ms journal poll when inotify is unavailable).
class Reloader {
public:
  /// stateDirectory: where the zones' serial files go ("" beside their data).
  Reloader(const config::RuntimeConfig& runtime, const std::string& stateDirectory, SnapshotHolder& holder,
      metrics::ZoneSlots& slots);
  ~Reloader();
  /// The first load, on the calling thread. Publishes the result when it has no errors, or when
  /// acceptErrors (-q). Returns the result for the caller to report.
  zone::LoadResult loadInitial(bool acceptErrors);
  /// Starts the reload thread.
  void start();
  /// Asks the thread to reload if a file changed (any thread: SIGHUP, the -c tick, the web page, shunctl
  /// reload). Returns a ticket for record().wait().
  std::uint64_t request(ReloadTrigger trigger);
  /// Stops and joins the thread.
  void stop();
  /// Reload outcomes for /metrics.
  const ReloadCounters& counters() const { return d_counters; }
  /// What the reloads did, for the control channel.
  const ReloadRecord& record() const { return d_record; }

private:
  void run();
  bool waitForNews(class JournalWatch& watch);
  void wake();
  zone::LoadResult reloadIfChanged(const std::string& trigger, bool signalled);
  void countPass(unsigned requested, bool journal, bool merge);
  void publish(const zone::LoadResult& result);
  void publishKeys();
  zone::IncrementalLoader d_loader;
  AccessKeyLoader d_keys; ///< --keyed-zone's keys, attached to every snapshot published
  SnapshotHolder& d_holder;
  metrics::ZoneSlots& d_slots;
  int d_wakeFd = -1; ///< eventfd: request() and stop() wake the thread's poll()
  std::atomic<unsigned> d_requested { 0 }; ///< ReloadTrigger bits
  std::atomic<bool> d_stopping { false };
  NamedThread d_thread;
  ReloadCounters d_counters;
  ReloadRecord d_record;
};

} // namespace shun::server
