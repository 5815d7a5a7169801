#include "server/daemon.hpp"

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/wait.h>
#include <system_error>

namespace shun::server {

namespace {

using config::ConfigError;

std::string failure(const std::string& what)
{
  return what + ": " + std::generic_category().message(errno);
}

template <typename Id> bool numericId(const std::string& text, Id& id)
{
  unsigned long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc {} || end != text.data() + text.size())
    return false;
  id = static_cast<Id>(value);
  return true;
}

gid_t resolveGroup(const std::string& group)
{
  gid_t gid = 0;
  if (numericId(group, gid))
    return gid;
  const struct group* entry = getgrnam(group.c_str()); // NOLINT(concurrency-mt-unsafe): startup, one thread
  if (!entry)
    throw ConfigError("unknown group '" + group + "' in -u");
  return entry->gr_gid;
}

} // namespace

void Daemon::fork()
{
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    throw ConfigError(failure("cannot create a pipe"));
  pid_t child = ::fork();
  if (child < 0)
    throw ConfigError(failure("cannot fork"));
  if (child > 0) {
    ::close(fds[1]);
    unsigned char code = 1;
    while (::read(fds[0], &code, 1) < 0 && errno == EINTR) { }
    std::_Exit(code); // the child reported (or died: code stays 1)
  }
  ::close(fds[0]);
  d_pipe.reset(fds[1]);
  ::setsid();
}

void Daemon::ready()
{
  if (!d_pipe)
    return;
  int null = ::open("/dev/null", O_RDWR);
  if (null >= 0) {
    std::fflush(stdout);
    std::fflush(stderr);
    for (int fd : { STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO })
      ::dup2(null, fd);
    ::close(null);
  }
  unsigned char code = 0;
  (void)!::write(d_pipe.get(), &code, 1);
  d_pipe.reset();
}

void Daemon::fail(int code)
{
  if (!d_pipe)
    return;
  auto byte = static_cast<unsigned char>(code);
  (void)!::write(d_pipe.get(), &byte, 1);
  d_pipe.reset();
}

Identity resolveIdentity(const config::ServerConfig& config)
{
  Identity identity;
  std::string user = config.user;
  if (user.empty()) {
    if (::geteuid() != 0)
      return identity; // not root: stay who we are
    user = getpwnam("rbldns") ? "rbldns" : "nobody"; // NOLINT(concurrency-mt-unsafe): startup, one thread
  }
  identity.change = true;
  identity.name = user;
  const passwd* entry = getpwnam(user.c_str()); // NOLINT(concurrency-mt-unsafe): startup, one thread
  if (entry) {
    identity.uid = entry->pw_uid;
    identity.gid = entry->pw_gid;
  } else if (!numericId(user, identity.uid)) {
    throw ConfigError("unknown user '" + user + "' in -u");
  } else {
    identity.gid = static_cast<gid_t>(identity.uid);
  }
  if (!config.group.empty())
    identity.gid = resolveGroup(config.group);
  if (identity.uid == 0)
    throw ConfigError("refusing to run as root: use -u with an unprivileged user");
  if (identity.gid == 0) // group root can read and write what root's group may: as dangerous as root
    throw ConfigError(
        "refusing to run with group root (gid 0): use -u user:group with an unprivileged group");
  return identity;
}

void writePidfile(const std::string& path)
{
  std::FILE* file = std::fopen(path.c_str(), "w");
  if (!file)
    throw ConfigError(failure("cannot write pidfile " + path));
  std::fprintf(file, "%ld\n", static_cast<long>(::getpid()));
  if (std::fclose(file) != 0)
    throw ConfigError(failure("cannot write pidfile " + path));
}

void dropPrivileges(const config::ServerConfig& config, const Identity& identity)
{
  if (!config.chroot.empty() && (::chdir(config.chroot.c_str()) != 0 || ::chroot(".") != 0))
    throw ConfigError(failure("cannot chroot to " + config.chroot));
  if (!config.workdir.empty() && ::chdir(config.workdir.c_str()) != 0)
    throw ConfigError(failure("cannot change directory to " + config.workdir));
  if (!identity.change)
    return;
  if (::geteuid() == 0 && ::setgroups(0, nullptr) != 0)
    throw ConfigError(failure("cannot drop supplementary groups"));
  if (::setgid(identity.gid) != 0)
    throw ConfigError(failure("cannot set group id " + std::to_string(identity.gid)));
  if (::setuid(identity.uid) != 0)
    throw ConfigError(failure("cannot become user " + identity.name));
  if (::getuid() == 0 || ::geteuid() == 0 || ::getgid() == 0 || ::getegid() == 0)
    throw ConfigError("refusing to run as root");
}

} // namespace shun::server
