#include "server/access_check.hpp"

#include <cerrno>
#include <cstring>
#include <grp.h>
#include <pwd.h>
#include <sys/wait.h>
#include <unistd.h>

namespace shun::server {
namespace {

std::string directoryOf(const std::string& path)
{
  auto slash = path.rfind('/');
  return slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
}

// The zone types the page removes from (web::Handlers::managedSpec): their directories get journals and
// requests logs written by the service user.
bool pageWrites(const zone::ZoneSpec& spec)
{
  for (const char* type : { "ip4set", "ip4tset", "ip4trie", "ip6trie", "ip6tset", "dnset" })
    if (spec.type == type)
      return !spec.files.empty();
  return false;
}

void checkAccess(const std::string& path, int mode, const char* what, std::vector<AccessProblem>& problems)
{
  if (::access(path.c_str(), mode) == 0 || errno == ENOENT) // a missing file is the loader's to report
    return;
  problems.push_back({ mode == R_OK,
      "user " + currentUser() + " cannot " + what + " " + path + ": " + std::strerror(errno)
          + (mode == R_OK ? "" : " (the page's self-removals will fail)") });
}

// The child's problems, one a line, 'E' (fatal) or 'W' first.
std::vector<AccessProblem> readProblems(int fd)
{
  std::string text;
  char buffer[4096];
  for (ssize_t got; (got = ::read(fd, buffer, sizeof buffer)) != 0;) {
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0)
      break;
    text.append(buffer, static_cast<std::size_t>(got));
  }
  std::vector<AccessProblem> problems;
  for (std::size_t start = 0, end; (end = text.find('\n', start)) != std::string::npos; start = end + 1)
    if (end > start)
      problems.push_back({ text[start] == 'E', text.substr(start + 1, end - start - 1) });
  return problems;
}

void writeProblems(int fd, const std::vector<AccessProblem>& problems)
{
  std::string text;
  for (const auto& problem : problems)
    text += (problem.fatal ? "E" : "W") + problem.message + "\n";
  for (std::size_t done = 0; done < text.size();) {
    ssize_t written = ::write(fd, text.data() + done, text.size() - done);
    if (written < 0 && errno == EINTR)
      continue;
    if (written < 0)
      return;
    done += static_cast<std::size_t>(written);
  }
}

} // namespace

std::string currentUser()
{
  uid_t uid = ::geteuid();
  const passwd* entry = ::getpwuid(uid); // NOLINT(concurrency-mt-unsafe): startup, one thread
  return (entry ? std::string(entry->pw_name) + " " : std::string()) + "(uid " + std::to_string(uid)
      + ", gid " + std::to_string(::getegid()) + ")";
}

std::vector<AccessProblem> accessProblems(const config::Config& config)
{
  std::vector<AccessProblem> problems;
  for (const auto& spec : config.runtime.zones) {
    for (const auto& file : spec.files)
      checkAccess(file, R_OK, "read the zone file", problems);
    if (!config.server.http || !pageWrites(spec))
      continue;
    const std::string& data = spec.files.front();
    checkAccess(directoryOf(data), W_OK | X_OK, "write the data directory", problems);
    checkAccess(data + ".journal", W_OK, "append to the journal", problems);
  }
  return problems;
}

std::vector<AccessProblem> accessProblemsAs(const config::Config& config, const Identity& identity)
{
  if (!identity.change || ::geteuid() != 0)
    return accessProblems(config);
  int pipe[2];
  if (::pipe(pipe) != 0)
    return { { true, "cannot check access as " + identity.name + ": " + std::strerror(errno) } };
  pid_t child = ::fork();
  if (child == 0) { // the checks run with the service user's ids, as the loader and the page will
    ::close(pipe[0]);
    bool dropped = ::setgroups(0, nullptr) == 0 && ::setgid(identity.gid) == 0 && ::setuid(identity.uid) == 0;
    writeProblems(pipe[1],
        dropped ? accessProblems(config)
                : std::vector<AccessProblem> { { true, "cannot become user " + identity.name } });
    ::_exit(0);
  }
  ::close(pipe[1]);
  auto problems = child > 0 ? readProblems(pipe[0])
                            : std::vector<AccessProblem> { { true, "cannot fork to check access" } };
  ::close(pipe[0]);
  int status = 0;
  if (child > 0)
    ::waitpid(child, &status, 0);
  return problems;
}

} // namespace shun::server
