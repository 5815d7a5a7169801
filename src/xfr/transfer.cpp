#include "xfr/transfer.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

namespace shun::xfr {

Transfer::State::~State()
{
  if (wake >= 0)
    ::close(wake);
}

void Transfer::State::signal() const noexcept
{
  std::uint64_t one = 1;
  [[maybe_unused]] auto written = ::write(wake, &one, sizeof one);
}

void Transfer::State::push(std::vector<std::uint8_t> message)
{
  {
    std::unique_lock lock(mutex);
    room.wait(lock, [this] { return queue.size() < kAhead || cancelled; });
    if (cancelled)
      throw Cancelled {};
    queue.push_back(std::move(message));
  }
  signal();
}

void Transfer::State::finish()
{
  {
    std::lock_guard lock(mutex);
    done = true;
  }
  signal();
}

Transfer::Transfer(std::shared_ptr<State> state)
    : d_state(std::move(state))
{
}

Transfer::~Transfer()
{
  {
    std::lock_guard lock(d_state->mutex);
    d_state->cancelled = true;
  }
  d_state->room.notify_all();
  if (d_state->thread.joinable())
    d_state->thread.join();
  d_state->service->release(d_state->client);
}

int Transfer::wakeFd() const noexcept
{
  return d_state->wake;
}

Transfer::Step Transfer::next(std::vector<std::uint8_t>& message)
{
  std::lock_guard lock(d_state->mutex);
  if (d_state->queue.empty())
    return d_state->done ? Step::Done : Step::Wait;
  message = std::move(d_state->queue.front());
  d_state->queue.pop_front();
  d_state->room.notify_one();
  return Step::Message;
}

} // namespace shun::xfr
