#pragma once

#include <algorithm>
#include <ctime>
#include <vector>

namespace microbench {

/// Median CPU nanoseconds per item of work(), which handles items items, over rounds runs: thread CPU
/// time, so that a busy shared machine's time slicing does not count (its cache pressure still does).
template <typename Work> double cpuNanosPerItem(std::size_t items, int rounds, Work work)
{
  std::vector<double> perItem;
  for (int round = 0; round < rounds; ++round) {
    timespec start {}, stop {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &start);
    volatile auto sink = work();
    (void)sink;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &stop);
    double nanos = static_cast<double>(stop.tv_sec - start.tv_sec) * 1e9
        + static_cast<double>(stop.tv_nsec - start.tv_nsec);
    perItem.push_back(nanos / static_cast<double>(items));
  }
  std::sort(perItem.begin(), perItem.end());
  return perItem[perItem.size() / 2];
}

} // namespace microbench
