#include "server/cpu_budget.hpp"

#include <catch2/catch.hpp>

using namespace shun::server;

TEST_CASE("cpu budget: cgroup v2 cpu.max reads as CPUs, 'max' as no limit")
{
  CHECK(cpuMaxQuota("150000 100000\n") == 1.5);
  CHECK(cpuMaxQuota("50000 100000") == 0.5);
  CHECK_FALSE(cpuMaxQuota("max 100000\n"));
  CHECK_FALSE(cpuMaxQuota(""));
  CHECK_FALSE(cpuMaxQuota("100000"));
  CHECK_FALSE(cpuMaxQuota("x 100000"));
  CHECK_FALSE(cpuMaxQuota("100000 0"));
}

TEST_CASE("cpu budget: the cgroup v2 line of /proc/self/cgroup, not the v1 controllers")
{
  CHECK(cgroupV2Path("0::/system.slice/shund.service\n") == "/system.slice/shund.service");
  CHECK(cgroupV2Path("4:memory:/x\n1:cpu:/y\n0::/\n") == "/");
  CHECK(cgroupV2Path("4:memory:/x\n1:cpu:/y\n").empty());
}

TEST_CASE("cpu budget: the affinity mask capped by the quota rounded up, at least one")
{
  CHECK(cpuBudget(16, std::nullopt) == 16);
  CHECK(cpuBudget(16, 1.5) == 2);
  CHECK(cpuBudget(16, 0.2) == 1);
  CHECK(cpuBudget(1, 8.0) == 1);
  CHECK(cpuBudget(0, std::nullopt) == 1);
}
