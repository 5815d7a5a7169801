#pragma once

// How many workers shund starts by default: one per CPU it may actually use, so that a shund pinned to
// one CPU (taskset, a cpuset, a container) does not run two workers fighting over it.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace shun::server {

/// CPUs this process may use: those in its affinity mask, capped by the cgroup v2 cpu.max quotas of its
/// cgroup and its ancestors (rounded up). At least 1.
std::size_t usableCpus();

/// The CPUs a cgroup v2 "cpu.max" line allows ("150000 100000" -> 1.5); nullopt for "max ..." (no limit)
/// or anything malformed.
std::optional<double> cpuMaxQuota(std::string_view cpuMax);

/// The cgroup v2 path in a /proc/self/cgroup text (its "0::/path" line), or "" when there is none.
std::string cgroupV2Path(std::string_view procSelfCgroup);

/// affinityCpus capped by quota CPUs rounded up; at least 1.
std::size_t cpuBudget(std::size_t affinityCpus, std::optional<double> quota);

} // namespace shun::server
