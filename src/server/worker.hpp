#pragma once

#include "server/handles.hpp"
#include "server/tcp.hpp"
#include "server/udp.hpp"
#include "server/worker_context.hpp"

#include <memory>
#include <thread>
#include <vector>

namespace shun::server {

/// One serving thread: its own event_base (no locks), its own SO_REUSEPORT UDP and TCP sockets, and a
/// 250 ms housekeeping timer (stop flag, snapshot refresh, query-log flush).
class Worker {
public:
  /// Takes ownership of the sockets. Throws std::runtime_error if libevent fails.
  Worker(std::size_t index, WorkerShared& shared, std::vector<UniqueFd> udp, std::vector<UniqueFd> tcp);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;
  /// Starts the thread.
  void start();
  /// Waits for the thread to end (after WorkerShared::stop was set).
  void join();
  const metrics::WorkerCounters& counters() noexcept { return d_context.counters(); }

private:
  static void onUdp(evutil_socket_t fd, short what, void* self);
  static void onTimer(evutil_socket_t fd, short what, void* self);
  void run();
  WorkerContext d_context;
  std::vector<UniqueFd> d_udpFds, d_tcpFds;
  EventBasePtr d_base; // declared before the events so it is freed after them
  std::unique_ptr<UdpBatch> d_batch;
  std::vector<EventPtr> d_udpEvents;
  EventPtr d_timer;
  std::unique_ptr<TcpService> d_tcp;
  std::thread d_thread;
};

} // namespace shun::server
