#include "server/descriptors.hpp"

#include "server/log.hpp"

#include <algorithm>
#include <dirent.h>
#include <sys/resource.h>
#include <utility>

namespace shun::server {

std::uint64_t raiseDescriptorLimit()
{
  rlimit limit {};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0)
    return 1024;
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0)
      limit = raised;
  }
  // RLIM_INFINITY is not a count; select() users aside, nothing here needs more than 2^20.
  return limit.rlim_cur == RLIM_INFINITY ? std::uint64_t { 1 } << 20 : limit.rlim_cur;
}

std::uint64_t openDescriptors()
{
  DIR* dir = ::opendir("/proc/self/fd");
  if (!dir)
    return 0;
  std::uint64_t count = 0;
  while (const dirent* entry = ::readdir(dir)) // NOLINT(concurrency-mt-unsafe): one stream, one thread
    count += entry->d_name[0] != '.';
  ::closedir(dir);
  return count > 0 ? count - 1 : 0; // the directory stream's own descriptor
}

DescriptorPlan planDescriptors(
    std::uint64_t limit, std::uint64_t inUse, std::uint32_t tcpWanted, std::uint32_t httpWanted)
{
  DescriptorPlan plan;
  plan.limit = limit;
  plan.reserve = std::max<std::uint64_t>(inUse + 64, limit / 8);
  std::uint64_t usable = limit > plan.reserve ? limit - plan.reserve : 0;
  // The web page gets at most a quarter, so a flood of page visitors cannot starve DNS over TCP.
  plan.http = httpWanted == 0 ? 0
                              : static_cast<std::uint32_t>(std::clamp<std::uint64_t>(
                                  std::min<std::uint64_t>(httpWanted, usable / 4), 1, UINT32_MAX));
  std::uint64_t left = usable > plan.http ? usable - plan.http : 0;
  plan.tcp = static_cast<std::uint32_t>(
      std::clamp<std::uint64_t>(std::min<std::uint64_t>(tcpWanted, left), 1, UINT32_MAX));
  return plan;
}

ThrottledWarning::ThrottledWarning(std::int64_t intervalSeconds)
    : d_interval(intervalSeconds)
{
}

void ThrottledWarning::warn(const std::string& message, std::int64_t now)
{
  std::uint64_t held = 0;
  {
    std::lock_guard lock(d_mutex);
    if (d_any && now < d_last + d_interval) {
      ++d_held;
      return;
    }
    d_any = true;
    d_last = now;
    held = std::exchange(d_held, 0);
  }
  logLine(LogLevel::Warning,
      held ? message + " (" + std::to_string(held) + " more since the last report)" : message);
}

} // namespace shun::server
