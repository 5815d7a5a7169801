#pragma once

#include "server/handles.hpp"
#include "server/named_thread.hpp"
#include "server/udp.hpp"
#include "server/worker_context.hpp"

#include <memory>
#include <poll.h>
#include <vector>

namespace shun::server {

/// One UDP serving thread on its own SO_REUSEPORT socket(s), named shund-w<number>. With one socket
/// (one listening address, the usual case) it blocks in recvmmsg, as rbldnsd blocks in recvfrom: a
/// wake-up costs one system call and no event-loop turn. With several it polls them. Either way it
/// wakes at least every 250 ms when idle, to see the stop flag, drop an old snapshot and flush the log.
class UdpWorker {
public:
  /// slot: this worker's WorkerContext index. Takes ownership of the sockets (one per address).
  UdpWorker(std::size_t number, std::size_t slot, WorkerShared& shared, std::vector<UniqueFd> sockets);
  ~UdpWorker();
  UdpWorker(const UdpWorker&) = delete;
  UdpWorker& operator=(const UdpWorker&) = delete;
  /// Starts the thread.
  void start();
  /// Waits for the thread to end (after WorkerShared::stop was set).
  void join();
  const metrics::WorkerCounters& counters() noexcept { return d_context.counters(); }

private:
  void run();
  std::size_t serveOnce();
  std::size_t d_number;
  WorkerContext d_context;
  std::vector<UniqueFd> d_sockets;
  std::vector<pollfd> d_polled; ///< with several sockets
  std::unique_ptr<UdpBatch> d_batch;
  NamedThread d_thread;
};

} // namespace shun::server
