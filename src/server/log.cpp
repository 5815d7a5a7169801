#include "server/log.hpp"

#include <atomic>
#include <cstdio>
#include <mutex>
#include <syslog.h>

namespace shun::server {

namespace {

std::atomic<bool> g_syslog { false };
std::mutex g_stderrMutex;

struct Facility {
  const char* name;
  int value;
};

constexpr Facility kFacilities[] = { { "auth", LOG_AUTH }, { "authpriv", LOG_AUTHPRIV }, { "cron", LOG_CRON },
  { "daemon", LOG_DAEMON }, { "ftp", LOG_FTP }, { "kern", LOG_KERN }, { "local0", LOG_LOCAL0 },
  { "local1", LOG_LOCAL1 }, { "local2", LOG_LOCAL2 }, { "local3", LOG_LOCAL3 }, { "local4", LOG_LOCAL4 },
  { "local5", LOG_LOCAL5 }, { "local6", LOG_LOCAL6 }, { "local7", LOG_LOCAL7 }, { "lpr", LOG_LPR },
  { "mail", LOG_MAIL }, { "news", LOG_NEWS }, { "syslog", LOG_SYSLOG }, { "user", LOG_USER },
  { "uucp", LOG_UUCP } };

int facilityValue(const std::string& name)
{
  for (const auto& facility : kFacilities)
    if (name == facility.name)
      return facility.value;
  return -1;
}

} // namespace

void logLine(LogLevel level, const std::string& message)
{
  if (g_syslog.load(std::memory_order_acquire)) {
    int priority = level == LogLevel::Error ? LOG_ERR : level == LogLevel::Warning ? LOG_WARNING : LOG_INFO;
    syslog(priority, "%s", message.c_str());
    return;
  }
  std::lock_guard lock(g_stderrMutex);
  std::fprintf(stderr, "shund: %s\n", message.c_str());
  std::fflush(stderr);
}

bool knownFacility(const std::string& facility)
{
  return facilityValue(facility) >= 0;
}

bool useSyslog(const std::string& facility)
{
  int value = facilityValue(facility);
  if (value < 0)
    return false;
  openlog("shund", LOG_PID | LOG_NDELAY, value);
  g_syslog.store(true, std::memory_order_release);
  return true;
}

} // namespace shun::server
