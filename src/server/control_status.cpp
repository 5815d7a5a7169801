#include "server/control_status.hpp"

#include "shun/version.hpp"

#include <algorithm>
#include <ctime>
#include <sys/stat.h>

namespace shun::server {
namespace {

std::int64_t fileSize(const std::string& path)
{
  struct stat info { };
  return ::stat(path.c_str(), &info) == 0 ? static_cast<std::int64_t>(info.st_size) : -1;
}

// Datasets in command-line order, each with the zones it serves.
std::vector<control::DatasetStatus> datasetsOf(const config::RuntimeConfig& runtime)
{
  std::vector<control::DatasetStatus> datasets;
  for (const auto& spec : runtime.zones) {
    auto key = spec.datasetKey();
    auto found
        = std::find_if(datasets.begin(), datasets.end(), [&](const auto& d) { return d.dataset == key; });
    if (found == datasets.end()) {
      found = datasets.emplace(datasets.end());
      found->dataset = key;
    }
    if (!spec.zone.empty())
      found->zones.push_back(spec.zone);
  }
  return datasets;
}

control::Status readStatus(const config::RuntimeConfig& runtime, const SnapshotHolder& holder,
    const Reloader& reloader, std::int64_t started)
{
  control::Status status;
  status.version = kVersion;
  status.started = started;
  status.now = std::time(nullptr);
  if (auto state = holder.load(); state && state->snapshot)
    for (const store::Zone& zone : state->snapshot->zones)
      status.zones.push_back(
          { zone.text, store::zoneSize(zone, status.now).entries, zone.soa ? zone.soa->serial : 0 });
  const ReloadRecord& record = reloader.record();
  status.datasets = datasetsOf(runtime);
  auto journals = record.journals();
  for (auto& dataset : status.datasets) {
    dataset.previousData = record.onPreviousData(dataset.dataset);
    for (const auto& journal : journals)
      if (journal.dataset == dataset.dataset) {
        dataset.journal = journal.journal;
        dataset.appliedBytes = static_cast<std::int64_t>(journal.applied);
        dataset.journalBytes = fileSize(journal.journal);
      }
  }
  status.lastReload = record.lastReload();
  return status;
}

} // namespace

control::Sources controlSources(const config::RuntimeConfig& runtime, const SnapshotHolder& holder,
    Reloader& reloader, std::int64_t started)
{
  control::Sources sources;
  sources.status
      = [&runtime, &holder, &reloader, started] { return readStatus(runtime, holder, reloader, started); };
  sources.reload = [&reloader](double seconds) {
    return reloader.record().wait(reloader.request(ReloadTrigger::Control), seconds);
  };
  for (const auto& spec : runtime.zones)
    if (!spec.zone.empty()
        && std::find(sources.zones.begin(), sources.zones.end(), spec.zone) == sources.zones.end())
      sources.zones.push_back(spec.zone);
  return sources;
}

} // namespace shun::server
