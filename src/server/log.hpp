#pragma once

#include <string>

namespace shun::server {

enum class LogLevel { Error, Warning, Info };

/// Sends log lines to stderr ("shund: ...") until useSyslog is called. Thread-safe.
void logLine(LogLevel level, const std::string& message);

/// Switches logging to syslog with ident "shund" and facility (e.g. "daemon", "local3"). Returns false
/// if the facility is unknown.
bool useSyslog(const std::string& facility);

/// True if the facility name is one syslog knows.
bool knownFacility(const std::string& facility);

} // namespace shun::server
