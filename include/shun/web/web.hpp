#pragma once

#include "shun/config/config.hpp"
#include "shun/metrics/counters.hpp"
#include "shun/server/reload_counters.hpp"
#include "shun/store/snapshot.hpp"
#include "shun/zone/load.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace shun::web {

/// Server counters summed over workers at one moment, for /metrics.
struct ServerSample {
  metrics::Counters counters;
  metrics::StatsReport zones;
  std::uint64_t tcpRefusedLimit = 0; ///< TCP connections closed at once: the process-wide cap
  std::uint64_t tcpRefusedPerClient = 0; ///< the same: the per-client cap
  std::uint64_t tcpAcceptPauses = 0; ///< TCP accepting paused, out of file descriptors
};

/// What the web listener reads from the running server. Every callback is called on the web thread.
struct WebSources {
  std::function<std::shared_ptr<const store::Snapshot>()> snapshot; ///< the live snapshot
  std::function<void()> reload; ///< asks the server to reload now (after a self-removal)
  std::function<ServerSample()> sample; ///< may be empty (no DNS counters)
  std::function<const server::ReloadCounters*()> reloadCounters; ///< may be empty or give null
  std::vector<zone::ZoneSpec> zones; ///< to find each zone's data file and requests log
  std::function<std::string()> extraMetrics; ///< more Prometheus lines (zone transfers); may be empty
  std::function<void(const std::string&)> warn; ///< logs a warning (already rate-limited); may be empty
  std::function<void(const std::string&)> info; ///< logs an event (a self-removal's outcome); may be empty
};

/// The HTTP removal page, lookup API and Prometheus metrics (HTTP/1.1 with keep-alive and pipelining, on
/// libevent bufferevents in its own thread). Its connections are capped; out of descriptors it pauses.
class WebServer {
public:
  /// Binds listen (throws config::ConfigError with the address on failure); serves after start().
  WebServer(const config::ListenSpec& listen, WebSources sources);
  ~WebServer();
  WebServer(const WebServer&) = delete;
  WebServer& operator=(const WebServer&) = delete;
  /// Caps open connections (more are closed at once); before start().
  void setMaxConnections(std::uint32_t count);
  /// Starts the web thread (after the sources are ready to be called).
  void start();
  /// Stops and joins the web thread.
  void stop();
  /// The bound address, "127.0.0.1/8053".
  std::string text() const;

private:
  struct Impl;
  std::unique_ptr<Impl> d_impl;
};

} // namespace shun::web
