#include "server/snapshot_holder.hpp"

#include <algorithm>

namespace shun::server {

std::uint16_t ServingState::slotOf(const store::Zone* zone) const noexcept
{
  if (!zone || !snapshot || snapshot->zones.empty())
    return metrics::kNoZoneSlot;
  auto index = static_cast<std::size_t>(zone - snapshot->zones.data());
  return index < zoneSlots.size() ? zoneSlots[index] : metrics::kNoZoneSlot;
}

std::shared_ptr<ServingState> makeServingState(
    std::shared_ptr<const store::Snapshot> snapshot, metrics::ZoneSlots& slots)
{
  auto state = std::make_shared<ServingState>();
  if (snapshot)
    for (const auto& zone : snapshot->zones)
      state->zoneSlots.push_back(slots.slotFor(zone.text));
  state->snapshot = std::move(snapshot);
  return state;
}

SnapshotHolder::SnapshotHolder(std::size_t workers)
    : d_seen(std::make_unique<Seen[]>(workers))
    , d_workers(workers)
{
}

void SnapshotHolder::publish(std::shared_ptr<ServingState> state)
{
  std::lock_guard lock(d_retiredMutex); // one publisher at a time keeps generations in order
  auto generation = d_generation.load(std::memory_order_relaxed) + 1;
  state->generation = generation;
  auto previous = d_current.exchange(std::move(state), std::memory_order_acq_rel);
  d_generation.store(generation, std::memory_order_release);
  if (previous)
    d_retired.push_back(std::move(previous));
}

void SnapshotHolder::reportSeen(std::size_t worker, std::uint64_t generation) noexcept
{
  d_seen[worker].generation.store(generation, std::memory_order_release);
}

std::size_t SnapshotHolder::collect()
{
  std::vector<std::shared_ptr<const ServingState>> freed;
  {
    std::lock_guard lock(d_retiredMutex);
    std::uint64_t oldestSeen = d_generation.load(std::memory_order_acquire);
    for (std::size_t worker = 0; worker < d_workers; ++worker)
      oldestSeen = std::min(oldestSeen, d_seen[worker].generation.load(std::memory_order_acquire));
    auto stillHeld = [&](const auto& state) { return state->generation >= oldestSeen; };
    auto split = std::stable_partition(d_retired.begin(), d_retired.end(), stillHeld);
    std::move(split, d_retired.end(), std::back_inserter(freed));
    d_retired.erase(split, d_retired.end());
  }
  return freed.size(); // the states are freed here, outside the lock
}

std::size_t SnapshotHolder::retiredCount() const
{
  std::lock_guard lock(d_retiredMutex);
  return d_retired.size();
}

} // namespace shun::server
