#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

namespace shun::server {

/// Wakes the reload thread when shunctl writes a journal: inotify on the journals' directories (shunctl
/// appends to "<file>.journal", `shunctl expire` replaces it by rename, so the directory is what to watch).
/// Without inotify (or once a watched directory vanished) ok() is false and the caller polls instead.
/// Reload thread only; no libevent.
class JournalWatch {
public:
  explicit JournalWatch(const std::vector<std::string>& journals);
  ~JournalWatch();
  JournalWatch(const JournalWatch&) = delete;
  JournalWatch& operator=(const JournalWatch&) = delete;

  /// True while every directory is watched.
  bool ok() const { return d_fd >= 0 && d_ok; }
  /// The inotify descriptor to poll() for POLLIN (-1 when inotify could not be set up).
  int fd() const { return d_fd; }
  /// Why ok() is false, for the log.
  const std::string& problem() const { return d_problem; }
  /// Reads the pending events (non-blocking); true if one may concern a journal (a journal's name, a
  /// lost event queue or a lost watch).
  bool drain();

private:
  int d_fd = -1;
  bool d_ok = true;
  std::string d_problem;
  std::map<int, std::set<std::string>> d_names; ///< watch descriptor -> journal names in that directory
};

} // namespace shun::server
