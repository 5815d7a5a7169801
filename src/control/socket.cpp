#include "shun/config/error.hpp"
#include "shun/control/control.hpp"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <thread>
#include <unistd.h>

namespace shun::control {
namespace {

constexpr std::size_t kMaxRequest = 512;
constexpr int kIdleTickMs = 250; // how soon stop() is noticed

sockaddr_un socketAddress(const std::string& path)
{
  sockaddr_un address {};
  address.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof address.sun_path)
    throw config::ConfigError("--control " + path + ": not a usable socket path (1 to "
        + std::to_string(sizeof address.sun_path - 1) + " bytes)");
  std::memcpy(address.sun_path, path.data(), path.size());
  return address;
}

[[noreturn]] void fail(const std::string& path, const std::string& step)
{
  throw config::ConfigError("--control " + path + ": " + step + ": " + std::strerror(errno));
}

void setTimeout(int fd, double seconds)
{
  timeval timeout { static_cast<time_t>(seconds),
    static_cast<suseconds_t>((seconds - static_cast<time_t>(seconds)) * 1e6) };
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
}

bool writeAll(int fd, std::string_view text)
{
  while (!text.empty()) {
    auto written = ::send(fd, text.data(), text.size(), MSG_NOSIGNAL);
    if (written <= 0)
      return false;
    text.remove_prefix(static_cast<std::size_t>(written));
  }
  return true;
}

// One request line; a client that sends no newline within the timeout gets what it sent judged.
std::string readLine(int fd)
{
  std::string line;
  char buffer[256];
  while (line.size() < kMaxRequest && line.find('\n') == std::string::npos) {
    auto got = ::recv(fd, buffer, sizeof buffer, 0);
    if (got <= 0)
      break;
    line.append(buffer, static_cast<std::size_t>(got));
  }
  return line.substr(0, line.find('\n'));
}

} // namespace

struct Server::State {
  std::string path;
  int fd = -1;
  std::atomic<bool> stopping { false };
  Sources sources;
  std::thread thread;

  void serve(int client) const
  {
    setTimeout(client, 2.0);
    std::string line = readLine(client);
    if (!line.empty() && line.back() == '\r')
      line.pop_back();
    writeAll(client, answer(line, sources));
    ::close(client);
  }

  void run() const
  {
    while (!stopping.load()) {
      pollfd wait { fd, POLLIN, 0 };
      if (::poll(&wait, 1, kIdleTickMs) <= 0)
        continue;
      int client = ::accept4(fd, nullptr, nullptr, SOCK_CLOEXEC);
      if (client >= 0)
        serve(client);
    }
  }
};

Server::Server(const std::string& path, bool change, uid_t uid, gid_t gid)
    : d_state(std::make_unique<State>())
{
  d_state->path = path;
  sockaddr_un address = socketAddress(path);
  struct stat existing { };
  if (::lstat(path.c_str(), &existing) == 0 && S_ISSOCK(existing.st_mode))
    ::unlink(path.c_str()); // left by a shund that did not stop cleanly
  d_state->fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (d_state->fd < 0)
    fail(path, "socket");
  mode_t before = ::umask(0117); // never a moment with more than 0660
  int bound = ::bind(d_state->fd, reinterpret_cast<const sockaddr*>(&address), sizeof address);
  ::umask(before);
  if (bound != 0)
    fail(path, "bind");
  if (::chmod(path.c_str(), 0660) != 0)
    fail(path, "chmod 0660");
  if (change && ::chown(path.c_str(), uid, gid) != 0)
    fail(path, "chown to the service user");
  if (::listen(d_state->fd, 16) != 0)
    fail(path, "listen");
}

Server::~Server()
{
  stop();
  if (d_state->fd >= 0) {
    ::close(d_state->fd);
    ::unlink(d_state->path.c_str()); // may fail after chroot or without rights: the next start replaces it
  }
}

void Server::start(Sources sources)
{
  d_state->sources = std::move(sources);
  d_state->thread = std::thread([state = d_state.get()] {
    pthread_setname_np(pthread_self(), "shund-control");
    state->run();
  });
}

void Server::stop()
{
  d_state->stopping.store(true);
  if (d_state->thread.joinable())
    d_state->thread.join();
}

std::optional<std::string> ask(
    const std::string& path, const Request& request, double seconds, std::string& error)
{
  sockaddr_un address {};
  try {
    address = socketAddress(path);
  } catch (const std::exception& problem) {
    error = problem.what();
    return std::nullopt;
  }
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0 || ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    error = path + ": " + std::strerror(errno);
    if (fd >= 0)
      ::close(fd);
    return std::nullopt;
  }
  setTimeout(fd, seconds);
  std::string reply;
  if (writeAll(fd, formatRequest(request))) {
    char buffer[4096];
    for (ssize_t got; (got = ::recv(fd, buffer, sizeof buffer, 0)) > 0;)
      reply.append(buffer, static_cast<std::size_t>(got));
  }
  ::close(fd);
  if (reply.empty()) {
    error = path + ": no reply";
    return std::nullopt;
  }
  return reply;
}

} // namespace shun::control
