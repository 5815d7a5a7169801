#include "server/worker.hpp"

#include <pthread.h>
#include <stdexcept>
#include <string>

namespace shun::server {

namespace {

EventBasePtr newBase()
{
  EventConfigPtr config(event_config_new());
  // Only this worker's thread touches its base: no locking needed.
  event_config_set_flag(config.get(), EVENT_BASE_FLAG_NOLOCK);
  EventBasePtr base(event_base_new_with_config(config.get()));
  if (!base)
    throw std::runtime_error("cannot create an event loop");
  return base;
}

} // namespace

Worker::Worker(std::size_t index, WorkerShared& shared, std::vector<UniqueFd> udp, std::vector<UniqueFd> tcp)
    : d_context(index, shared)
    , d_udpFds(std::move(udp))
    , d_tcpFds(std::move(tcp))
    , d_base(newBase())
    , d_batch(std::make_unique<UdpBatch>(shared.answer.maxUdpPayload))
{
  for (const auto& fd : d_udpFds) {
    EventPtr ev(event_new(d_base.get(), fd.get(), EV_READ | EV_PERSIST, &Worker::onUdp, this));
    if (!ev || event_add(ev.get(), nullptr) != 0)
      throw std::runtime_error("cannot watch a UDP socket");
    d_udpEvents.push_back(std::move(ev));
  }
  d_tcp = std::make_unique<TcpService>(d_base.get(), d_context);
  for (const auto& fd : d_tcpFds)
    d_tcp->listen(fd.get());
  d_timer.reset(event_new(d_base.get(), -1, EV_PERSIST, &Worker::onTimer, this));
  timeval period { 0, 250000 };
  if (!d_timer || event_add(d_timer.get(), &period) != 0)
    throw std::runtime_error("cannot start a worker timer");
}

Worker::~Worker()
{
  join();
  d_tcp.reset(); // connections hold bufferevents of d_base
  d_udpEvents.clear();
  d_timer.reset();
}

void Worker::start()
{
  d_context.refresh();
  d_thread = std::thread([this] { run(); });
  // "shund-w0", "shund-w1"...: top -H, ps -L and the benchmarks tell the workers apart.
  std::string name = "shund-w" + std::to_string(d_context.index());
  pthread_setname_np(d_thread.native_handle(), name.c_str());
}

void Worker::join()
{
  if (d_thread.joinable())
    d_thread.join();
}

void Worker::run()
{
  event_base_dispatch(d_base.get());
  d_context.flushLog();
}

void Worker::onUdp(evutil_socket_t fd, short, void* self)
{
  auto* worker = static_cast<Worker*>(self);
  worker->d_batch->drain(fd, worker->d_context);
}

void Worker::onTimer(evutil_socket_t, short, void* self)
{
  auto* worker = static_cast<Worker*>(self);
  if (worker->d_context.shared().stop.load(std::memory_order_acquire)) {
    event_base_loopbreak(worker->d_base.get());
    return;
  }
  worker->d_context.refresh(); // an idle worker must not pin an old snapshot
  worker->d_context.flushLog();
}

} // namespace shun::server
