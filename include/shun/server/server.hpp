#pragma once

#include "shun/config/config.hpp"

namespace shun::server {

/// Runs shund as configured: serves until SIGTERM/SIGINT (Mode::Serve), dumps the zones (Mode::Dump)
/// or checks them (Mode::Check). Returns the process exit code; startup errors are reported on stderr
/// (or syslog) and give 1. Call from the main thread, before any other thread exists.
int run(const config::Config& config);

} // namespace shun::server
