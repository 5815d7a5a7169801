#pragma once

// RAII owners for the C handles of the server: file descriptors and libevent objects.
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <memory>
#include <unistd.h>
#include <utility>

namespace shun::server {

/// Owns a file descriptor; closes it on destruction.
class UniqueFd {
public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) noexcept
      : d_fd(fd)
  {
  }
  UniqueFd(UniqueFd&& other) noexcept
      : d_fd(std::exchange(other.d_fd, -1))
  {
  }
  UniqueFd& operator=(UniqueFd&& other) noexcept
  {
    reset(std::exchange(other.d_fd, -1));
    return *this;
  }
  ~UniqueFd() { reset(); }
  int get() const noexcept { return d_fd; }
  explicit operator bool() const noexcept { return d_fd >= 0; }
  int release() noexcept { return std::exchange(d_fd, -1); }
  void reset(int fd = -1) noexcept
  {
    if (d_fd >= 0)
      ::close(d_fd);
    d_fd = fd;
  }

private:
  int d_fd = -1;
};

struct EventBaseDeleter {
  void operator()(event_base* base) const noexcept { event_base_free(base); }
};
struct EventDeleter {
  void operator()(event* ev) const noexcept { event_free(ev); }
};
struct BufferEventDeleter {
  void operator()(bufferevent* bev) const noexcept { bufferevent_free(bev); }
};
struct EventConfigDeleter {
  void operator()(event_config* cfg) const noexcept { event_config_free(cfg); }
};

using EventBasePtr = std::unique_ptr<event_base, EventBaseDeleter>;
using EventPtr = std::unique_ptr<event, EventDeleter>;
using BufferEventPtr = std::unique_ptr<bufferevent, BufferEventDeleter>;
using EventConfigPtr = std::unique_ptr<event_config, EventConfigDeleter>;

} // namespace shun::server
