#pragma once

#include <functional>
#include <pthread.h>
#include <string>
#include <thread>

namespace shun::server {

/// A server thread with a name that top -H, ps -L and the benchmarks show ("shund-w0", at most 15
/// characters). Joined on destruction.
class NamedThread {
public:
  NamedThread() = default;
  NamedThread(const NamedThread&) = delete;
  NamedThread& operator=(const NamedThread&) = delete;
  ~NamedThread() { join(); }

  void start(const std::string& name, std::function<void()> body)
  {
    d_thread = std::thread(std::move(body));
    pthread_setname_np(d_thread.native_handle(), name.c_str());
  }
  /// Waits for the body to return (whoever stops it must have told it to).
  void join()
  {
    if (d_thread.joinable())
      d_thread.join();
  }

private:
  std::thread d_thread;
};

} // namespace shun::server
