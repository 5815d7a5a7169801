#pragma once

#include "server/handles.hpp"
#include "shun/config/config.hpp"

#include <string>

namespace shun::server {

/// The parent's side of daemonizing: it waits until the child says it serves (or failed).
class Daemon {
public:
  /// Forks. The parent waits for the child's status and exits with it (never returns); the child
  /// returns, starts a new session and must call ready() or fail().
  void fork();
  /// Tells the parent we serve; stdin/stdout/stderr now go to /dev/null.
  void ready();
  /// Tells the parent startup failed with this exit code.
  void fail(int code);

private:
  UniqueFd d_pipe;
};

/// The uid/gid to become after binding, from "-u user[:group]" or the root default (rbldns, else
/// nobody). Throws config::ConfigError for unknown names or for ending up as root.
struct Identity {
  bool change = false;
  uid_t uid = 0;
  gid_t gid = 0;
  std::string name;
};
Identity resolveIdentity(const config::ServerConfig& config);

/// Writes the process id to path. Throws config::ConfigError.
void writePidfile(const std::string& path);

/// chroot (-r), chdir (-w) and setgid/setuid, in that order. Throws config::ConfigError with the step.
void dropPrivileges(const config::ServerConfig& config, const Identity& identity);

} // namespace shun::server
