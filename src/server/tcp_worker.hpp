#pragma once

#include "server/handles.hpp"
#include "server/named_thread.hpp"
#include "server/tcp.hpp"
#include "server/worker_context.hpp"

#include <memory>
#include <vector>

namespace shun::server {

/// One TCP serving thread: its own event_base (no locks), its own SO_REUSEPORT listening sockets, and a
/// 250 ms housekeeping timer (stop flag, snapshot refresh, query-log flush). Named shund-t<number>.
class TcpWorker {
public:
  /// slot: this worker's WorkerContext index. Takes ownership of the listening sockets. Throws
  /// std::runtime_error if libevent fails.
  TcpWorker(std::size_t number, std::size_t slot, WorkerShared& shared, std::vector<UniqueFd> listening);
  ~TcpWorker();
  TcpWorker(const TcpWorker&) = delete;
  TcpWorker& operator=(const TcpWorker&) = delete;
  /// Starts the thread.
  void start();
  /// Waits for the thread to end (after WorkerShared::stop was set).
  void join();
  const metrics::WorkerCounters& counters() noexcept { return d_context.counters(); }

private:
  static void onTimer(evutil_socket_t fd, short what, void* self);
  void run();
  std::size_t d_number;
  WorkerContext d_context;
  std::vector<UniqueFd> d_listening;
  EventBasePtr d_base; // declared before the events so it is freed after them
  EventPtr d_timer;
  std::unique_ptr<TcpService> d_tcp;
  NamedThread d_thread;
};

} // namespace shun::server
