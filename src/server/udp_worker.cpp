#include "server/udp_worker.hpp"

#include <fcntl.h>
#include <poll.h>
#include <stdexcept>
#include <string>

namespace shun::server {

namespace {

constexpr int kIdleMs = 250; ///< longest sleep: stop flag, snapshot refresh and log flush wait no longer

// A single socket is read blocking, with a receive timeout standing in for the idle tick.
void makeBlockingWithTimeout(int fd)
{
  int flags = fcntl(fd, F_GETFL);
  timeval timeout { 0, suseconds_t { kIdleMs } * 1000 };
  if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0
      || setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout) != 0)
    throw std::runtime_error("cannot set up a UDP socket for blocking reads");
}

} // namespace

UdpWorker::UdpWorker(
    std::size_t number, std::size_t slot, WorkerShared& shared, std::vector<UniqueFd> sockets)
    : d_number(number)
    , d_context(slot, shared)
    , d_sockets(std::move(sockets))
    , d_batch(std::make_unique<UdpBatch>(shared.answer.maxUdpPayload))
{
  if (d_sockets.size() == 1)
    makeBlockingWithTimeout(d_sockets[0].get());
  for (const auto& fd : d_sockets)
    d_polled.push_back({ fd.get(), POLLIN, 0 });
}

UdpWorker::~UdpWorker()
{
  join();
}

void UdpWorker::start()
{
  d_context.refresh();
  d_thread.start("shund-w" + std::to_string(d_number), [this] { run(); });
}

void UdpWorker::join()
{
  d_thread.join();
}

// Waits for datagrams (at most kIdleMs) and answers them; returns how many came.
std::size_t UdpWorker::serveOnce()
{
  if (d_sockets.size() == 1)
    return d_batch->drain(d_sockets[0].get(), d_context, true);
  std::size_t received = 0;
  if (poll(d_polled.data(), d_polled.size(), kIdleMs) > 0)
    for (const pollfd& entry : d_polled)
      if (entry.revents != 0)
        received += d_batch->drain(entry.fd, d_context, false);
  return received;
}

void UdpWorker::run()
{
  std::int64_t flushedAt = 0;
  while (!d_context.shared().stop.load(std::memory_order_acquire)) {
    if (serveOnce() == 0) {
      d_context.refresh(); // idle: an idle worker must not pin an old snapshot
      d_context.flushLog();
    } else if (d_context.now() != flushedAt) {
      d_context.flushLog(); // busy: at most once a second
      flushedAt = d_context.now();
    }
  }
  d_context.flushLog();
}

} // namespace shun::server
