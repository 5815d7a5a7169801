#include "server/tcp_worker.hpp"

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

TcpWorker::TcpWorker(
    std::size_t number, std::size_t slot, WorkerShared& shared, std::vector<UniqueFd> listening)
    : d_number(number)
    , d_context(slot, shared)
    , d_listening(std::move(listening))
    , d_base(newBase())
{
  d_tcp = std::make_unique<TcpService>(d_base.get(), d_context);
  for (const auto& fd : d_listening)
    d_tcp->listen(fd.get());
  d_timer.reset(event_new(d_base.get(), -1, EV_PERSIST, &TcpWorker::onTimer, this));
  timeval period { 0, 250000 };
  if (!d_timer || event_add(d_timer.get(), &period) != 0)
    throw std::runtime_error("cannot start a worker timer");
}

TcpWorker::~TcpWorker()
{
  join();
  d_tcp.reset(); // connections hold bufferevents of d_base
  d_timer.reset();
}

void TcpWorker::start()
{
  d_context.refresh();
  d_thread.start("shund-t" + std::to_string(d_number), [this] { run(); });
}

void TcpWorker::join()
{
  d_thread.join();
}

void TcpWorker::run()
{
  event_base_dispatch(d_base.get());
  d_context.flushLog();
}

void TcpWorker::onTimer(evutil_socket_t, short, void* self)
{
  auto* worker = static_cast<TcpWorker*>(self);
  if (worker->d_context.shared().stop.load(std::memory_order_acquire)) {
    event_base_loopbreak(worker->d_base.get());
    return;
  }
  worker->d_context.refresh(); // an idle worker must not pin an old snapshot
  worker->d_context.flushLog();
}

} // namespace shun::server
