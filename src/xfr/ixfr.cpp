#include "shun/xfr/xfr.hpp"
#include "xfr/access.hpp"
#include "zone/serial.hpp"

// The differences IXFR sends (RFC 1995), kept per zone as the watch thread sees new serials.
namespace shun::xfr {
namespace {

// The journal keys of the change sets that took zone from serial `from` to its current serial; nullopt
// when one of them is a reload (no difference kept) or the history does not reach back to `from`.
std::optional<std::vector<std::string>> changedKeys(const store::Zone& zone, std::uint32_t from)
{
  if (!zone.history || !zone.soa)
    return std::nullopt;
  const auto& changes = zone.history->changes;
  auto change = std::find_if(changes.begin(), changes.end(), [&](const auto& c) { return c->from == from; });
  std::vector<std::string> keys;
  for (std::uint32_t serial = from; serial != zone.soa->serial; ++change) {
    if (change == changes.end() || (*change)->from != serial || !(*change)->incremental())
      return std::nullopt;
    for (const store::DatasetChange& dataset : (*change)->datasets)
      if (dataset.records)
        for (const listing::JournalRecord& record : *dataset.records)
          keys.push_back(record.key);
    serial = (*change)->to;
  }
  return keys;
}

} // namespace

void Service::observe(const std::shared_ptr<const store::Snapshot>& snapshot, std::int64_t now)
{
  if (!d_access->anyAllowed())
    return; // no transfers: no differences to keep
  std::shared_ptr<const store::Snapshot> previous = std::move(d_observed);
  d_observed = snapshot;
  if (!previous || previous == snapshot)
    return;
  for (const store::Zone& zone : snapshot->zones) {
    const store::Zone* before = previous->findZone(zone.name);
    if (!zone.soa || !before || before->name != zone.name || !before->soa
        || before->soa->serial == zone.soa->serial)
      continue;
    auto keys = changedKeys(zone, before->soa->serial);
    auto difference = keys ? zone::zoneDifference(*before, zone, *keys, now) : std::nullopt;
    std::lock_guard lock(d_changesMutex);
    auto& kept = d_changes[zone.name];
    if (!difference) {
      kept.clear(); // a reload: older serials get the whole zone
      continue;
    }
    auto change = std::make_shared<Change>();
    change->from = before->soa->serial;
    change->to = zone.soa->serial;
    change->fromSoa = zone::soaRdata(*before);
    change->toSoa = zone::soaRdata(zone);
    change->difference = std::move(*difference);
    kept.push_back(std::move(change));
    if (kept.size() > kKeptChanges)
      kept.pop_front();
  }
}

std::vector<std::shared_ptr<const Service::Change>> Service::changesSince(
    const store::Zone& zone, std::uint32_t serial)
{
  std::lock_guard lock(d_changesMutex);
  auto found = d_changes.find(zone.name);
  if (found == d_changes.end())
    return {};
  const auto& kept = found->second;
  auto change = std::find_if(kept.begin(), kept.end(), [&](const auto& c) { return c->from == serial; });
  std::vector<std::shared_ptr<const Change>> chain;
  for (; change != kept.end(); ++change) {
    if ((*change)->from != serial)
      return {};
    chain.push_back(*change);
    serial = (*change)->to;
  }
  // Only a chain that ends at the serial being served describes it.
  return serial == zone.soa->serial ? chain : std::vector<std::shared_ptr<const Change>> {};
}

} // namespace shun::xfr
