#include "server/cpu_budget.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sched.h>
#include <sstream>
#include <thread>

namespace shun::server {
namespace {

constexpr const char* kCgroupRoot = "/sys/fs/cgroup"; // where systemd mounts cgroup v2

std::string readFile(const std::string& path)
{
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

std::size_t affinityCpus()
{
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) != 0) // more CPUs than a cpu_set_t holds: count them all
    return std::max(1u, std::thread::hardware_concurrency());
  return static_cast<std::size_t>(CPU_COUNT(&set));
}

// The smallest quota of the cgroup at path and its ancestors (a parent's limit binds its children too).
std::optional<double> smallestQuota(std::string path)
{
  std::optional<double> smallest;
  for (;;) {
    auto quota = cpuMaxQuota(readFile(kCgroupRoot + path + "/cpu.max"));
    if (quota && (!smallest || *quota < *smallest))
      smallest = quota;
    if (path.empty() || path == "/")
      return smallest;
    path.erase(path.rfind('/'));
  }
}

} // namespace

std::optional<double> cpuMaxQuota(std::string_view cpuMax)
{
  auto space = cpuMax.find(' ');
  if (space == std::string_view::npos)
    return std::nullopt;
  std::string_view quotaText = cpuMax.substr(0, space), periodText = cpuMax.substr(space + 1);
  while (!periodText.empty() && (periodText.back() == '\n' || periodText.back() == ' '))
    periodText.remove_suffix(1);
  std::uint64_t quota = 0, period = 0;
  auto parsed = [](std::string_view text, std::uint64_t& number) {
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    return ec == std::errc {} && end == text.data() + text.size();
  };
  if (!parsed(quotaText, quota) || !parsed(periodText, period) || quota == 0 || period == 0)
    return std::nullopt; // "max 100000": no limit
  return static_cast<double>(quota) / static_cast<double>(period);
}

std::string cgroupV2Path(std::string_view procSelfCgroup)
{
  std::istringstream lines { std::string(procSelfCgroup) };
  std::string line;
  while (std::getline(lines, line))
    if (line.starts_with("0::"))
      return line.substr(3);
  return "";
}

std::size_t cpuBudget(std::size_t affinityCpus, std::optional<double> quota)
{
  std::size_t cpus = std::max<std::size_t>(1, affinityCpus);
  if (quota)
    cpus = std::min(cpus, static_cast<std::size_t>(std::max(1.0, std::ceil(*quota))));
  return cpus;
}

std::size_t usableCpus()
{
  std::string path = cgroupV2Path(readFile("/proc/self/cgroup"));
  return cpuBudget(affinityCpus(), path.empty() ? std::nullopt : smallestQuota(path));
}

} // namespace shun::server
