#include "server/journal_watch.hpp"

#include <cerrno>
#include <cstring>
#include <sys/inotify.h>
#include <system_error>
#include <unistd.h>

namespace shun::server {
namespace {

constexpr std::uint32_t kEvents
    = IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_ATTRIB;

std::pair<std::string, std::string> splitPath(const std::string& path)
{
  std::size_t slash = path.rfind('/');
  if (slash == std::string::npos)
    return { ".", path };
  return { slash == 0 ? "/" : path.substr(0, slash), path.substr(slash + 1) };
}

} // namespace

JournalWatch::JournalWatch(const std::vector<std::string>& journals)
{
  d_fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (d_fd < 0) {
    d_problem = std::string("inotify_init1: ") + std::generic_category().message(errno);
    return;
  }
  for (const std::string& journal : journals) {
    auto [directory, name] = splitPath(journal);
    int watch = ::inotify_add_watch(d_fd, directory.c_str(), kEvents | IN_ONLYDIR);
    if (watch < 0) {
      d_ok = false;
      d_problem = "inotify_add_watch " + directory + ": " + std::generic_category().message(errno);
      return;
    }
    d_names[watch].insert(name);
  }
}

JournalWatch::~JournalWatch()
{
  if (d_fd >= 0)
    ::close(d_fd);
}

bool JournalWatch::drain()
{
  alignas(inotify_event) char buffer[16384];
  bool news = false;
  for (;;) {
    ssize_t got = ::read(d_fd, buffer, sizeof buffer);
    if (got <= 0)
      return news; // EAGAIN: drained
    for (ssize_t at = 0; at < got;) {
      const auto* event = reinterpret_cast<const inotify_event*>(buffer + at);
      at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
      if (event->mask & (IN_Q_OVERFLOW | IN_IGNORED)) {
        news = true;
        if (event->mask & IN_IGNORED) { // the directory went away: polling from now on
          d_ok = false;
          d_problem = "a watched directory was removed";
        }
        continue;
      }
      auto names = d_names.find(event->wd);
      if (names != d_names.end() && event->len && names->second.count(event->name))
        news = true;
    }
  }
}

} // namespace shun::server
