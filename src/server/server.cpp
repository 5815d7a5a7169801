#include "shun/server/server.hpp"

#include "server/access_check.hpp"
#include "server/control_status.hpp"
#include "server/cpu_budget.hpp"
#include "server/daemon.hpp"
#include "server/descriptors.hpp"
#include "server/log.hpp"
#include "server/reloader.hpp"
#include "server/service_manager.hpp"
#include "server/sockets.hpp"
#include "server/stats.hpp"
#include "server/tcp_worker.hpp"
#include "server/udp_worker.hpp"
#include "shun/rrl/limiter.hpp"
#include "shun/version.hpp"
#include "shun/web/web.hpp"

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <random>

namespace shun::server {

namespace {

constexpr int kStopSeconds = 3; // SIGTERM to exit, at most (plus the workers' own stop)

std::int64_t unixNow()
{
  return static_cast<std::int64_t>(std::time(nullptr));
}

zone::LoadResult loadOnce(const config::RuntimeConfig& runtime)
{
  zone::LoadOptions options = runtime.load;
  options.now = unixNow();
  return zone::loadSnapshot(runtime.zones, options);
}

// As root, the files are checked as the service user (-u) would find them: root reads everything.
int checkZones(const config::Config& config)
{
  bool fatal = false;
  for (const auto& problem : accessProblemsAs(config, resolveIdentity(config.server))) {
    std::cout << "shund: " << (problem.fatal ? "" : "warning: ") << problem.message << '\n';
    fatal |= problem.fatal;
  }
  auto result = loadOnce(config.runtime);
  for (const auto& diagnostic : result.diagnostics)
    std::cout << diagnostic.format() << '\n';
  return fatal || result.hasErrors() || !result.snapshot ? 1 : 0;
}

int dumpZones(const config::Config& config)
{
  auto result = loadOnce(config.runtime);
  for (const auto& diagnostic : result.diagnostics)
    std::cerr << diagnostic.format() << '\n';
  if (result.hasErrors() || !result.snapshot) {
    std::cerr << "shund: zone loading errors, aborting\n";
    return 1;
  }
  zone::dumpBind(*result.snapshot, std::cout, unixNow());
  return std::cout.flush() ? 0 : 1;
}

sigset_t handledSignals()
{
  sigset_t set;
  sigemptyset(&set);
  for (int signal : { SIGHUP, SIGTERM, SIGINT, SIGUSR1, SIGUSR2 })
    sigaddset(&set, signal);
  return set;
}

// Everything a serving process holds; destroyed in reverse order (workers before what they read).
struct Service {
  std::vector<Listener> listeners;
  std::unique_ptr<QueryLogFile> queryLog;
  metrics::ZoneSlots slots;
  std::unique_ptr<SnapshotHolder> holder;
  std::unique_ptr<xfr::Service> xfr; ///< outlives the TCP workers, whose transfers it counts
  std::vector<query::CookieSecret> cookieSecrets; ///< read before privileges are dropped
  std::unique_ptr<rrl::Limiter> limiter; ///< --rrl: shared by the UDP workers
  std::unique_ptr<WorkerShared> shared;
  std::unique_ptr<Reloader> reloader;
  std::vector<std::unique_ptr<UdpWorker>> udpWorkers;
  std::vector<std::unique_ptr<TcpWorker>> tcpWorkers;
  std::vector<const metrics::WorkerCounters*> counters; ///< each worker's, UDP and TCP
  std::unique_ptr<StatsKeeper> stats;
  std::unique_ptr<web::WebServer> web; ///< --http; stopped first
  DescriptorPlan descriptors;
  std::unique_ptr<control::Server> control; ///< --control; stopped first
};

std::size_t workerCount(const config::ServerConfig& config)
{
  if (config.threads > 0)
    return config.threads;
  return usableCpus(); // the CPUs shund may use, not the machine's: two workers on one CPU cost more
}

// Every worker's counters summed now: the web thread reads them without touching the stats keeper.
web::ServerSample sampleCounters(const Service& service)
{
  web::ServerSample sample;
  for (const auto* counters : service.counters)
    sample.counters += counters->read();
  sample.zones = metrics::sumZones(service.counters, service.slots);
  if (service.shared) {
    sample.tcpRefusedLimit = service.shared->tcpRefusedLimit.load(std::memory_order_relaxed);
    sample.tcpRefusedPerClient = service.shared->tcpRefusedPerClient.load(std::memory_order_relaxed);
    sample.tcpAcceptPauses = service.shared->tcpAcceptPauses.load(std::memory_order_relaxed);
  }
  return sample;
}

// The lookup/removal page and /metrics (--http): bound with the DNS sockets, before privileges are
// dropped; its sources read the service lazily, so they may name parts built later.
void bindWeb(const config::Config& config, Service& service)
{
  if (!config.server.http)
    return;
  web::WebSources sources;
  sources.snapshot = [&service]() -> std::shared_ptr<const store::Snapshot> {
    auto state = service.holder->load();
    return state ? state->snapshot : nullptr;
  };
  sources.reload = [&service] { service.reloader->request(ReloadTrigger::Web); };
  sources.sample = [&service] { return sampleCounters(service); };
  sources.reloadCounters = [&service] { return service.reloader ? &service.reloader->counters() : nullptr; };
  sources.zones = config.runtime.zones;
  sources.extraMetrics
      = [&service] { return service.xfr ? service.xfr->counters().prometheus() : std::string(); };
  sources.warn = [](const std::string& message) { logLine(LogLevel::Warning, message); };
  sources.info = [](const std::string& message) { logLine(LogLevel::Info, message); };
  service.web = std::make_unique<web::WebServer>(*config.server.http, std::move(sources));
}

// The connection caps fit the descriptor limit, keeping a reserve, so a flood of idle connections cannot
// make reloads, journals or logs fail with "Too many open files".
DescriptorPlan planConnections(const config::ServerConfig& server, std::uint64_t limit)
{
  auto plan = planDescriptors(
      limit, openDescriptors(), server.tcpMaxConnections, server.http ? server.httpMaxConnections : 0);
  auto lowered = [&](const char* option, std::uint32_t wanted, std::uint32_t got) {
    if (got < wanted)
      logLine(LogLevel::Warning,
          std::string(option) + " " + std::to_string(wanted) + " lowered to " + std::to_string(got)
              + ": the file descriptor limit is " + std::to_string(limit)
              + " (raise LimitNOFILE / ulimit -n)");
  };
  lowered("--tcp-max-connections", server.tcpMaxConnections, plan.tcp);
  if (server.http)
    lowered("--http-max-connections", server.httpMaxConnections, plan.http);
  return plan;
}

// Descriptor limit, binding, identity, pidfile, chroot, setuid, query log: rbldnsd's order.
void prepareProcess(const config::Config& config, Service& service, std::size_t workers)
{
  const auto& server = config.server;
  std::uint64_t limit = raiseDescriptorLimit();
  service.listeners = bindListeners(server.listen, server.family, workers);
  bindWeb(config, service);
  service.descriptors = planConnections(server, limit);
  if (service.web)
    service.web->setMaxConnections(service.descriptors.http);
  auto identity = resolveIdentity(server);
  if (!server.control.empty()) // shunctl run as the service user may use it
    service.control
        = std::make_unique<control::Server>(server.control, identity.change, identity.uid, identity.gid);
  if (!server.pidfile.empty())
    writePidfile(server.pidfile);
  if (server.cookies) // the secret file may be readable by root only
    service.cookieSecrets = server.cookieSecretFile.empty()
        ? std::vector<query::CookieSecret> { query::randomCookieSecret() }
        : query::readCookieSecrets(server.cookieSecretFile);
  dropPrivileges(server, identity);
  if (!server.queryLog.path.empty())
    service.queryLog = std::make_unique<QueryLogFile>(server.queryLog);
}

// The first load: errors are fatal unless -q.
bool loadFirst(const config::Config& config, Service& service)
{
  service.reloader = std::make_unique<Reloader>(
      config.runtime, config.server.stateDirectory, *service.holder, service.slots);
  auto result = service.reloader->loadInitial(config.server.quickStart);
  logDiagnostics(result.diagnostics);
  if ((result.hasErrors() || !result.snapshot) && !config.server.quickStart) {
    logLine(LogLevel::Error, "zone loading errors, aborting");
    return false;
  }
  if (!service.holder->load())
    service.holder->publish(makeServingState(std::make_shared<store::Snapshot>(), service.slots));
  return true;
}

void startWorkers(const config::Config& config, Service& service, std::size_t workers)
{
  service.shared = std::make_unique<WorkerShared>(*service.holder);
  service.shared->answer = config.runtime.answer;
  service.shared->queryLog = service.queryLog.get();
  service.shared->tcpMaxConnections = service.descriptors.tcp;
  service.shared->tcpClients.setPerClient(config.server.tcpMaxPerClient);
  service.shared->tcpIdleTimeout = config.server.tcpIdleTimeout;
  service.xfr = std::make_unique<xfr::Service>(
      config.server.xfr, [](const std::string& line) { logLine(LogLevel::Warning, line); },
      [](const std::string& line) { logLine(LogLevel::Info, line); });
  service.shared->xfr = service.xfr.get();
  if (!service.cookieSecrets.empty())
    service.shared->cookieSecrets.set(service.cookieSecrets);
  if (config.server.rrl.enabled) {
    std::random_device random;
    service.limiter
        = std::make_unique<rrl::Limiter>(config.server.rrl, std::uint64_t { random() } << 32 | random());
    service.shared->limiter = service.limiter.get();
  }
  // Worker n answers UDP on thread shund-w<n> and TCP on shund-t<n>; each reads snapshots through its
  // own SnapshotHolder slot (UDP n, TCP workers + n).
  for (std::size_t index = 0; index < workers; ++index) {
    std::vector<UniqueFd> udp, tcp;
    for (auto& listener : service.listeners) {
      udp.push_back(std::move(listener.udp[index]));
      tcp.push_back(std::move(listener.tcp[index]));
    }
    service.udpWorkers.push_back(std::make_unique<UdpWorker>(index, index, *service.shared, std::move(udp)));
    service.tcpWorkers.push_back(
        std::make_unique<TcpWorker>(index, workers + index, *service.shared, std::move(tcp)));
    service.counters.push_back(&service.udpWorkers.back()->counters());
    service.counters.push_back(&service.tcpWorkers.back()->counters());
  }
  service.stats
      = std::make_unique<StatsKeeper>(service.counters, service.slots, config.server.statsFile, unixNow());
  service.stats->start(unixNow());
  for (auto& worker : service.udpWorkers)
    worker->start();
  for (auto& worker : service.tcpWorkers)
    worker->start();
  service.reloader->start();
  service.xfr->watch([&service]() -> std::shared_ptr<const store::Snapshot> {
    auto state = service.holder->load();
    return state ? state->snapshot : nullptr;
  });
}

// RFC 9018 section 5: a new secret in --cookie-secret's file makes the new cookies; the one it replaces
// still verifies until the next rotation. Read as the service user: root-only files are read at start only.
void rotateCookieSecret(const config::ServerConfig& server, Service& service)
{
  if (!server.cookies || server.cookieSecretFile.empty())
    return;
  try {
    auto change = service.shared->cookieSecrets.rotate(query::readCookieSecrets(server.cookieSecretFile));
    if (change == query::SharedCookieSecrets::Change::Rotated)
      logLine(LogLevel::Info,
          "DNS cookie secret rotated from " + server.cookieSecretFile
              + ": new cookies use the new secret, the previous one's stay valid until the next rotation");
    else if (change == query::SharedCookieSecrets::Change::PreviousReplaced)
      logLine(
          LogLevel::Info, "DNS cookie secret: the previous secret replaced from " + server.cookieSecretFile);
  } catch (const std::exception& error) {
    logLine(LogLevel::Error, std::string(error.what()) + "; keeping the current DNS cookie secret");
  }
}

void onHangup(const config::Config& config, Service& service)
{
  service.reloader->request(ReloadTrigger::Signal);
  rotateCookieSecret(config.server, service);
  std::string error;
  if (service.queryLog && !service.queryLog->reopen(error))
    logLine(LogLevel::Error, error);
}

// Signals and the -c tick, on the main thread, until SIGTERM/SIGINT.
void controlLoop(const config::Config& config, Service& service)
{
  sigset_t signals = handledSignals();
  auto interval = static_cast<std::int64_t>(config.server.checkInterval);
  std::int64_t nextTick = unixNow() + interval;
  for (;;) {
    timespec wait { 1, 0 };
    int signal = sigtimedwait(&signals, nullptr, &wait);
    std::int64_t now = unixNow();
    if (signal == SIGTERM || signal == SIGINT)
      return;
    if (signal == SIGHUP)
      onHangup(config, service);
    else if (signal == SIGUSR1 || signal == SIGUSR2)
      service.stats->report(now, signal == SIGUSR2);
    if (interval > 0 && now >= nextTick) {
      service.reloader->request(ReloadTrigger::Timer);
      service.stats->writeFile(now);
      nextTick = now + interval;
    }
    service.holder->collect();
  }
}

// A reload may be reading a large file (up to the loader's limits): SIGTERM must not wait for it. The
// reload thread only reads and builds in memory, so past the deadline the process exits without it.
void armExitDeadline()
{
  std::thread([] {
    std::this_thread::sleep_for(std::chrono::seconds(kStopSeconds));
    logLine(LogLevel::Warning,
        "still stopping after " + std::to_string(kStopSeconds) + " s (a reload in progress): exiting now");
    std::_Exit(0);
  }).detach();
}

void shutdown(Service& service)
{
  armExitDeadline();
  if (service.control)
    service.control->stop();
  if (service.web)
    service.web->stop();
  service.shared->stop.store(true, std::memory_order_release);
  for (auto& worker : service.udpWorkers)
    worker->join();
  for (auto& worker : service.tcpWorkers)
    worker->join();
  service.reloader->stop();
  service.stats->finish(unixNow());
  logLine(LogLevel::Info, "terminating");
}

int serve(const config::Config& config, Daemon& daemon)
{
  Service service;
  std::int64_t started = unixNow();
  std::size_t workers = workerCount(config.server);
  service.holder = std::make_unique<SnapshotHolder>(2 * workers); // a UDP and a TCP thread each
  prepareProcess(config, service, workers);
  logLine(LogLevel::Info, "running as user " + currentUser());
  for (const auto& problem : accessProblems(config))
    logLine(problem.fatal ? LogLevel::Error : LogLevel::Warning, problem.message);
  if (!loadFirst(config, service))
    return 1;
  startWorkers(config, service, workers);
  if (service.control)
    service.control->start(controlSources(config.runtime, *service.holder, *service.reloader, started));
  if (service.web) {
    service.web->start();
    std::cerr << "shund: http on " << service.web->text() << std::endl;
  }
  for (const auto& listener : service.listeners)
    std::cerr << "shund: listening on " << listener.text() << " (udp, tcp)" << std::endl;
  logLine(LogLevel::Info,
      "shund " + std::string(kVersion) + " started with " + std::to_string(workers) + " worker(s), "
          + std::to_string(service.slots.names().size()) + " zone(s)");
  if (!config.server.foreground)
    useSyslog(config.server.syslogFacility);
  daemon.ready();
  notifyReady();
  controlLoop(config, service);
  notifyStopping();
  shutdown(service);
  return 0;
}

} // namespace

int run(const config::Config& config)
{
  if (config.mode == config::Mode::Check || config.mode == config::Mode::Dump) {
    try {
      return config.mode == config::Mode::Check ? checkZones(config) : dumpZones(config);
    } catch (const config::ConfigError& error) { // e.g. a zone that is only an acl
      std::cerr << "shund: " << error.what() << '\n';
      return 1;
    }
  }
  if (!knownFacility(config.server.syslogFacility)) {
    std::cerr << "shund: unknown syslog facility '" << config.server.syslogFacility << "' in -F\n";
    return 1;
  }
  std::signal(SIGPIPE, SIG_IGN);
  sigset_t signals = handledSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr); // every thread inherits it; the main thread waits for them
  Daemon daemon;
  try {
    if (!config.server.foreground)
      daemon.fork();
    int code = serve(config, daemon);
    daemon.fail(code);
    return code;
  } catch (const std::exception& error) {
    logLine(LogLevel::Error, error.what());
    daemon.fail(1);
    return 1;
  }
}

} // namespace shun::server
