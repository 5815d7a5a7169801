#include "server/stats.hpp"

#include "server/log.hpp"
#include "shun/metrics/format.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace shun::server {

StatsKeeper::StatsKeeper(std::vector<const metrics::WorkerCounters*> counters,
    const metrics::ZoneSlots& slots, config::OutputFile file, std::int64_t now)
    : d_counters(std::move(counters))
    , d_slots(slots)
    , d_file(std::move(file))
    , d_resetAt(now)
{
}

metrics::StatsReport StatsKeeper::current() const
{
  auto report = metrics::sumZones(d_counters, d_slots);
  report -= d_baseline;
  return report;
}

void StatsKeeper::append(const std::string& text)
{
  if (d_file.path.empty())
    return;
  // Opened per write, like rbldnsd, so the file can be rotated under us.
  int fd = ::open(d_file.path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    logLine(LogLevel::Warning, "cannot open statistics file " + d_file.path + ": " + std::strerror(errno));
    return;
  }
  if (::write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size()))
    logLine(LogLevel::Warning, "cannot write statistics file " + d_file.path);
  ::close(fd);
}

void StatsKeeper::writeFile(std::int64_t now)
{
  if (d_file.path.empty())
    return;
  auto report = current();
  auto line = report;
  if (d_file.plus)
    line -= d_lastWritten;
  d_lastWritten = report;
  append(metrics::formatStatsLine(now, line));
}

void StatsKeeper::report(std::int64_t now, bool reset)
{
  for (const auto& line : metrics::formatStatsLog(current(), now - d_resetAt))
    logLine(LogLevel::Info, line);
  writeFile(now);
  if (!reset)
    return;
  d_baseline = metrics::sumZones(d_counters, d_slots);
  d_lastWritten = {};
  d_lastWritten.zones.resize(d_baseline.zones.size());
  d_resetAt = now;
  append(std::to_string(now) + '\n');
}

void StatsKeeper::start(std::int64_t now)
{
  append(std::to_string(now) + '\n');
}

void StatsKeeper::finish(std::int64_t now)
{
  for (const auto& line : metrics::formatStatsLog(current(), now - d_resetAt))
    logLine(LogLevel::Info, line);
  writeFile(now);
  append(std::to_string(now) + '\n');
}

} // namespace shun::server
