#include "server/reloader.hpp"

#include "server/log.hpp"

#include <chrono>
#include <ctime>
#include <sys/resource.h>
#include <unistd.h>

namespace shun::server {
namespace {

constexpr std::chrono::milliseconds kJournalPoll { 200 };

} // namespace

void logDiagnostics(const std::vector<zone::Diagnostic>& diagnostics)
{
  std::size_t errors = 0, warnings = 0;
  for (const auto& diagnostic : diagnostics)
    if ((diagnostic.error ? ++errors : ++warnings) <= kLoggedPerKind)
      logLine(diagnostic.error ? LogLevel::Error : LogLevel::Warning, diagnostic.format());
  if (errors > kLoggedPerKind)
    logLine(LogLevel::Error,
        std::to_string(errors - kLoggedPerKind) + " more errors not logged (shund --check lists them all)");
  if (warnings > kLoggedPerKind)
    logLine(LogLevel::Warning,
        std::to_string(warnings - kLoggedPerKind)
            + " more warnings not logged (shund --check lists them all)");
}

Reloader::Reloader(const config::RuntimeConfig& runtime, SnapshotHolder& holder, metrics::ZoneSlots& slots)
    : d_runtime(runtime)
    , d_holder(holder)
    , d_slots(slots)
{
}

Reloader::~Reloader()
{
  stop();
}

zone::LoadResult Reloader::load()
{
  zone::LoadOptions options = d_runtime.load;
  options.now = static_cast<std::int64_t>(std::time(nullptr));
  // Stamp before reading: a file changed while it is read is seen as changed at the next check.
  d_stamps = stampFiles(d_runtime.zones);
  d_journalStamps = stampJournals(d_runtime.zones);
  return zone::loadSnapshot(d_runtime.zones, options);
}

zone::LoadResult Reloader::loadInitial(bool acceptErrors)
{
  auto result = load();
  if (!result.hasErrors() || acceptErrors)
    d_holder.publish(makeServingState(result.snapshot, d_slots));
  return result;
}

void Reloader::start()
{
  d_thread.start("shund-reload", [this] { run(); });
}

void Reloader::request()
{
  {
    std::lock_guard lock(d_mutex);
    d_requested = true;
  }
  d_wake.notify_one();
}

void Reloader::stop()
{
  {
    std::lock_guard lock(d_mutex);
    d_stopping = true;
  }
  d_wake.notify_one();
  d_thread.join();
}

void Reloader::run()
{
  setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 5); // loading yields the cores to serving
  std::unique_lock lock(d_mutex);
  for (;;) {
    // Between requests (SIGHUP, the -c tick) only the journals are polled: shunctl's changes must be
    // served within a second, and stat() of a few files five times a second costs nothing.
    bool requested = d_wake.wait_for(lock, kJournalPoll, [this] { return d_requested || d_stopping; });
    if (d_stopping)
      return;
    d_requested = false;
    lock.unlock();
    if (requested || stampJournals(d_runtime.zones) != d_journalStamps)
      reloadIfChanged();
    lock.lock();
  }
}

bool Reloader::reloadIfChanged()
{
  if (stampFiles(d_runtime.zones) == d_stamps && stampJournals(d_runtime.zones) == d_journalStamps)
    return false;
  auto started = std::chrono::steady_clock::now();
  auto result = load();
  logDiagnostics(result.diagnostics);
  if (result.hasErrors() || !result.snapshot) {
    logLine(LogLevel::Error, "reload failed, still serving the previous data");
    d_counters.failures.fetch_add(1, std::memory_order_relaxed);
    d_counters.lastFailure.store(static_cast<std::int64_t>(std::time(nullptr)), std::memory_order_relaxed);
    return false;
  }
  d_holder.publish(makeServingState(result.snapshot, d_slots));
  d_counters.reloads.fetch_add(1, std::memory_order_relaxed);
  d_counters.lastReload.store(static_cast<std::int64_t>(std::time(nullptr)), std::memory_order_relaxed);
  auto took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  logLine(LogLevel::Info, "zones reloaded in " + std::to_string(took) + " s");
  return true;
}

} // namespace shun::server
