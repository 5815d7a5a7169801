#include "server/reload_record.hpp"

#include <algorithm>
#include <chrono>

namespace shun::server {

std::uint64_t ReloadRecord::ask()
{
  std::lock_guard lock(d_mutex);
  return ++d_asked;
}

std::uint64_t ReloadRecord::take() const
{
  std::lock_guard lock(d_mutex);
  return d_asked;
}

void ReloadRecord::finish(std::uint64_t ticket, const std::string& trigger, const zone::LoadResult& result,
    std::vector<zone::JournalProgress> journals, std::int64_t now)
{
  using Action = zone::DatasetReport::Action;
  std::lock_guard lock(d_mutex);
  d_finished = std::max(d_finished, ticket);
  d_journals = std::move(journals);
  for (const auto& report : result.datasets) {
    if (report.action == Action::KeptPrevious || report.onPreviousData)
      d_previous.insert(report.dataset);
    else
      d_previous.erase(report.dataset);
  }
  // A pass that found nothing new keeps the last report: its errors still describe what is served.
  if (result.snapshot || !result.datasets.empty() || !result.diagnostics.empty()) {
    d_last = control::ReloadStatus {};
    d_last.time = now;
    d_last.trigger = trigger;
    d_last.published = result.snapshot != nullptr;
    for (const auto& diagnostic : result.diagnostics)
      if (d_last.diagnostics.size() < control::kKeptDiagnostics)
        d_last.diagnostics.push_back(diagnostic);
    d_last.datasets = result.datasets;
  }
  d_done.notify_all();
}

bool ReloadRecord::wait(std::uint64_t ticket, double seconds) const
{
  std::unique_lock lock(d_mutex);
  return d_done.wait_for(lock, std::chrono::duration<double>(seconds), [&] { return d_finished >= ticket; });
}

control::ReloadStatus ReloadRecord::lastReload() const
{
  std::lock_guard lock(d_mutex);
  return d_last;
}

bool ReloadRecord::onPreviousData(const std::string& dataset) const
{
  std::lock_guard lock(d_mutex);
  return d_previous.count(dataset) != 0;
}

std::vector<zone::JournalProgress> ReloadRecord::journals() const
{
  std::lock_guard lock(d_mutex);
  return d_journals;
}

} // namespace shun::server
