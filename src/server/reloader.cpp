#include "server/reloader.hpp"

#include "server/journal_watch.hpp"
#include "server/log.hpp"
#include "server/service_manager.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace shun::server {
namespace {

constexpr int kJournalPollMs = 200; // only without inotify

std::int64_t unixNow()
{
  return static_cast<std::int64_t>(std::time(nullptr));
}

std::string seconds(double value)
{
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", value);
  return text;
}

// "SIGHUP and journal": what asked for a reload, for its log line.
std::string triggerText(unsigned requested, bool journal, bool merge, bool keys)
{
  std::vector<std::string> causes;
  if (requested & static_cast<unsigned>(ReloadTrigger::Signal))
    causes.emplace_back("SIGHUP");
  if (requested & static_cast<unsigned>(ReloadTrigger::Timer))
    causes.emplace_back("the -c timer");
  if (requested & static_cast<unsigned>(ReloadTrigger::Web))
    causes.emplace_back("the web page");
  if (requested & static_cast<unsigned>(ReloadTrigger::Control))
    causes.emplace_back("shunctl reload");
  if (journal)
    causes.emplace_back("a journal change");
  if (merge)
    causes.emplace_back("a finished merge");
  if (keys)
    causes.emplace_back("a key file change");
  std::string text;
  for (std::size_t i = 0; i < causes.size(); ++i)
    text += (i == 0 ? "" : i + 1 == causes.size() ? " and " : ", ") + causes[i];
  return text;
}

// "bl.example serial 7 (1000 entries), ...": the zones whose serial differs from before's.
std::string changedZones(const store::Snapshot& after, const store::Snapshot* before, std::int64_t now)
{
  std::string text;
  for (const store::Zone& zone : after.zones) {
    auto serial = zone.soa ? zone.soa->serial : 0;
    bool changed
        = !before || std::none_of(before->zones.begin(), before->zones.end(), [&](const store::Zone& old) {
            return old.text == zone.text && (old.soa ? old.soa->serial : 0) == serial;
          });
    if (changed)
      text += (text.empty() ? "" : ", ") + zone.text + " serial " + std::to_string(serial) + " ("
          + std::to_string(store::zoneSize(zone, now).entries) + " entries)";
  }
  return text.empty() ? "no zone changed its answers" : text;
}

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

void logDatasets(const std::vector<zone::DatasetReport>& datasets)
{
  using Action = zone::DatasetReport::Action;
  for (const auto& report : datasets) {
    if (report.action == Action::KeptPrevious)
      logLine(LogLevel::Error, "still serving the previous data of " + report.dataset);
    else if (report.action == Action::Merged)
      logLine(LogLevel::Info,
          "merged the changes to " + report.dataset + " into a new base in " + seconds(report.seconds)
              + " s (" + std::to_string(report.records) + " journal record(s) laid over it again)");
    else if (report.action == Action::ChangeSet)
      logLine(LogLevel::Info,
          "applied " + std::to_string(report.records) + " journal record(s) to " + report.dataset + " in "
              + seconds(report.seconds) + " s"
              + (report.onPreviousData
                      ? " (still serving the previous data of " + report.dataset + ": its files have errors)"
                      : ""));
    else
      logLine(LogLevel::Info, "loaded " + report.dataset + " in " + seconds(report.seconds) + " s");
  }
}

Reloader::Reloader(const config::RuntimeConfig& runtime, const std::string& stateDirectory,
    SnapshotHolder& holder, metrics::ZoneSlots& slots)
    : d_loader(runtime.zones, runtime.load, zone::VersionOptions { .stateDirectory = stateDirectory },
        zone::MergeOptions { zone::kMergeAt, [this] { wake(); }, {} })
    , d_keys(runtime.keyFile, runtime.keyedZones)
    , d_holder(holder)
    , d_slots(slots)
    , d_wakeFd(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC))
{
}

Reloader::~Reloader()
{
  stop();
  if (d_wakeFd >= 0)
    ::close(d_wakeFd);
}

zone::LoadResult Reloader::loadInitial(bool acceptErrors)
{
  d_keys.load();
  auto result = d_loader.load(unixNow());
  logDatasets(result.datasets);
  if (result.snapshot && (!result.hasErrors() || acceptErrors))
    publish(result);
  d_record.finish(0, "the start", result, d_loader.journalProgress(), unixNow());
  return result;
}

void Reloader::publish(const zone::LoadResult& result)
{
  d_holder.publish(makeServingState(store::withAccessKeys(result.snapshot, d_keys.current()), d_slots));
  logDiagnostics(d_loader.saveVersions()); // after publishing: serving first, the fsync second
}

// The key file changed and nothing else: the served snapshot again, with the new keys.
void Reloader::publishKeys()
{
  auto keys = d_keys.load();
  auto state = d_holder.load();
  if (state && state->snapshot)
    d_holder.publish(makeServingState(store::withAccessKeys(state->snapshot, keys), d_slots));
}

void Reloader::start()
{
  d_thread.start("shund-reload", [this] { run(); });
}

void Reloader::wake()
{
  std::uint64_t one = 1;
  if (d_wakeFd >= 0 && ::write(d_wakeFd, &one, sizeof one) < 0) {
    // the counter is already non-zero: the thread wakes anyway
  }
}

std::uint64_t Reloader::request(ReloadTrigger trigger)
{
  auto ticket = d_record.ask();
  d_requested.fetch_or(static_cast<unsigned>(trigger));
  wake();
  return ticket;
}

void Reloader::stop()
{
  d_stopping.store(true);
  wake();
  d_thread.join();
  d_loader.stopMerging(); // joins a running merge: before the eventfd it wakes is closed
}

// Blocks until a request, a stop, or a journal event (with inotify), or for the poll interval (without).
// True if the journals may have changed.
bool Reloader::waitForNews(JournalWatch& watch)
{
  pollfd fds[2] = { { d_wakeFd, POLLIN, 0 }, { watch.fd(), POLLIN, 0 } };
  bool watching = watch.ok();
  int ready = ::poll(fds, watching ? 2 : 1, watching ? -1 : kJournalPollMs);
  std::uint64_t count = 0;
  if (ready > 0 && (fds[0].revents & POLLIN) && ::read(d_wakeFd, &count, sizeof count) < 0)
    count = 0;
  bool news = !watching || (ready > 0 && (fds[1].revents & POLLIN) && watch.drain());
  if (watching && !watch.ok())
    logLine(LogLevel::Warning, "journal watch lost (" + watch.problem() + "), polling every 200 ms");
  return news;
}

void Reloader::run()
{
  // Not niced: a change set is served at once; a full load runs at nice 5 on a thread of its own
  // (zone::buildDatasetYielding) and a merge at nice 10 on shund-merge, yielding the cores to serving.
  auto watched = d_loader.journalPaths();
  if (d_keys.enabled())
    watched.push_back(d_keys.path()); // written like a journal: by shunctl, replaced by rename
  JournalWatch watch(watched);
  if (!watch.ok())
    logLine(LogLevel::Warning, "no inotify (" + watch.problem() + "): polling journals every 200 ms");
  bool news = true; // a journal written between the first load and the watch
  while (!d_stopping.load()) {
    auto ticket = d_record.take(); // before the bits: a ticket is finished only by a pass after it
    unsigned requested = d_requested.exchange(0);
    bool merge = d_loader.mergeReady();
    bool journal = news && d_loader.journalsChanged();
    bool keys = (news || requested) && d_keys.changed();
    if (keys) {
      publishKeys(); // the zones' reload below (if any) publishes them again with these keys
      if (!(requested || merge || journal))
        logLine(LogLevel::Info, "reloaded after " + triggerText(0, false, false, true));
    }
    if (requested || merge || journal) {
      bool signalled = (requested & static_cast<unsigned>(ReloadTrigger::Signal)) != 0;
      if (signalled) // systemctl reload: the unit shows "reloading" until the new data is served
        notifyReloading();
      auto trigger = triggerText(requested, journal, merge, keys);
      countPass(requested, journal, merge);
      bool asked = (requested & static_cast<unsigned>(ReloadTrigger::Control)) != 0;
      auto result = reloadIfChanged(trigger, signalled || asked);
      d_record.finish(ticket, trigger, result, d_loader.journalProgress(), unixNow());
      if (signalled)
        notifyReady();
    }
    news = waitForNews(watch);
  }
}

// The pass's causes, in kReloadTriggers order, for /metrics.
void Reloader::countPass(unsigned requested, bool journal, bool merge)
{
  const bool causes[] = { (requested & static_cast<unsigned>(ReloadTrigger::Signal)) != 0,
    (requested & static_cast<unsigned>(ReloadTrigger::Timer)) != 0,
    (requested & static_cast<unsigned>(ReloadTrigger::Web)) != 0,
    (requested & static_cast<unsigned>(ReloadTrigger::Control)) != 0, journal, merge };
  for (std::size_t i = 0; i < kReloadTriggers.size(); ++i)
    if (causes[i])
      d_counters.passes[i].fetch_add(1, std::memory_order_relaxed);
}

zone::LoadResult Reloader::reloadIfChanged(const std::string& trigger, bool signalled)
{
  auto started = std::chrono::steady_clock::now();
  zone::LoadResult result;
  try {
    result = d_loader.load(unixNow());
    d_counters.recordDuration(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  } catch (const std::exception& error) { // not expected after the first load: the specs do not change
    logLine(LogLevel::Error, std::string("reload failed: ") + error.what());
    return {};
  }
  logDiagnostics(result.diagnostics);
  logDatasets(result.datasets);
  bool kept = std::any_of(result.datasets.begin(), result.datasets.end(),
      [](const auto& report) { return report.action == zone::DatasetReport::Action::KeptPrevious; });
  if (kept) {
    d_counters.failures.fetch_add(1, std::memory_order_relaxed);
    d_counters.lastFailure.store(unixNow(), std::memory_order_relaxed);
  }
  if (!result.snapshot) {
    if (signalled) // the operator asked: say that nothing was there to reload
      logLine(
          LogLevel::Info, "reload after " + trigger + ": nothing changed (every file and journal as loaded)");
    return result;
  }
  auto before = d_holder.load();
  publish(result);
  d_counters.reloads.fetch_add(1, std::memory_order_relaxed);
  d_counters.lastReload.store(unixNow(), std::memory_order_relaxed);
  auto took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  logLine(LogLevel::Info,
      "reloaded after " + trigger + " in " + seconds(took)
          + " s: " + changedZones(*result.snapshot, before ? before->snapshot.get() : nullptr, unixNow()));
  return result;
}

} // namespace shun::server
