#include "shun/metrics/process.hpp"

#include <charconv>
#include <dirent.h>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/resource.h>
#include <unistd.h>

namespace shun::metrics {
namespace {

std::optional<std::string> readText(const char* path)
{
  std::ifstream in(path);
  if (!in)
    return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::int64_t bootTime()
{
  auto stat = readText("/proc/stat");
  auto at = stat ? stat->find("\nbtime ") : std::string::npos;
  if (at == std::string::npos)
    return 0;
  std::int64_t value = 0;
  std::from_chars(stat->data() + at + 7, stat->data() + stat->size(), value);
  return value;
}

std::uint64_t countOpenFds()
{
  DIR* directory = ::opendir("/proc/self/fd");
  if (!directory)
    return 0;
  std::uint64_t count = 0;
  while (const dirent* entry = ::readdir(directory))
    count += entry->d_name[0] != '.';
  ::closedir(directory);
  return count > 0 ? count - 1 : 0; // the directory stream's own descriptor
}

} // namespace

bool parseProcStat(
    std::string_view stat, long ticksPerSecond, long pageSize, std::int64_t bootTime, ProcessSample& sample)
{
  // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so fields count from the last ')'.
  auto close = stat.rfind(')');
  if (close == std::string_view::npos || ticksPerSecond <= 0)
    return false;
  std::istringstream fields(std::string(stat.substr(close + 1)));
  std::string field;
  std::uint64_t utime = 0, stime = 0, start = 0, vsize = 0, rss = 0;
  for (int index = 3; fields >> field; ++index) { // field 3 is the state, as proc(5) numbers them
    auto number
        = [&](std::uint64_t& out) { std::from_chars(field.data(), field.data() + field.size(), out); };
    if (index == 14)
      number(utime);
    else if (index == 15)
      number(stime);
    else if (index == 22)
      number(start);
    else if (index == 23)
      number(vsize);
    else if (index == 24) {
      number(rss);
      sample.cpuSeconds = static_cast<double>(utime + stime) / static_cast<double>(ticksPerSecond);
      sample.startTime
          = static_cast<double>(bootTime) + static_cast<double>(start) / static_cast<double>(ticksPerSecond);
      sample.virtualBytes = vsize;
      sample.residentBytes = rss * static_cast<std::uint64_t>(pageSize);
      return true;
    }
  }
  return false;
}

std::optional<ProcessSample> sampleProcess()
{
  auto stat = readText("/proc/self/stat");
  ProcessSample sample;
  if (!stat || !parseProcStat(*stat, ::sysconf(_SC_CLK_TCK), ::sysconf(_SC_PAGESIZE), bootTime(), sample))
    return std::nullopt;
  sample.openFds = countOpenFds();
  rlimit limit {};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0)
    sample.maxFds = limit.rlim_cur;
  return sample;
}

} // namespace shun::metrics
