#pragma once

#include "shun/xfr/xfr.hpp"

#include <condition_variable>
#include <deque>
#include <thread>

namespace shun::xfr {

/// What a transfer's producer thread and the TCP connection share.
struct Transfer::State {
  static constexpr std::size_t kAhead = 4; ///< messages built ahead of the socket at most
  Service* service = nullptr;
  std::string client; ///< the address it counts against (Service::acquire)
  int wake = -1; ///< eventfd
  std::mutex mutex;
  std::condition_variable room;
  std::deque<std::vector<std::uint8_t>> queue;
  bool done = false;
  bool cancelled = false;
  std::thread thread;
  ~State();
  /// Producer: queues message, waiting while kAhead are queued. Throws Cancelled once cancelled.
  void push(std::vector<std::uint8_t> message);
  /// Producer: no more messages.
  void finish();
  void signal() const noexcept;
};

/// Thrown inside a producer thread to stop generating once the connection is gone.
struct Cancelled { };

} // namespace shun::xfr
