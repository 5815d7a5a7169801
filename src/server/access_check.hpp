#pragma once

#include "server/daemon.hpp"
#include "shun/config/config.hpp"

#include <string>
#include <vector>

// What the service user must be able to do with the zones' files, checked where they are named (at start,
// and by `--check` as that user): an error then names the user and the path instead of a bare EACCES
// from the loader or a 500 on the page.
namespace shun::server {

/// "nobody (uid 65534, gid 65534)": the user this process runs as now, for the log.
std::string currentUser();

/// A problem the service user would have with a zone's files; the message names the user and the path.
struct AccessProblem {
  bool fatal = true; ///< a zone file it cannot read (the load fails); else only the page's writes fail
  std::string message;
};

/// The problems the current user has: a zone file it cannot read; with the page on (--http), a data
/// directory of a zone the page may remove from that it cannot write, or a journal there it cannot
/// append to.
std::vector<AccessProblem> accessProblems(const config::Config& config);

/// accessProblems as identity (for `--check` run as root): computed in a child process that drops to
/// identity's uid and gid first. Without a change of identity, accessProblems itself.
std::vector<AccessProblem> accessProblemsAs(const config::Config& config, const Identity& identity);

} // namespace shun::server
