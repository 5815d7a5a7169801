#pragma once

#include "shun/metrics/counters.hpp"
#include "shun/store/snapshot.hpp"

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

namespace shun::server {

/// What workers serve: a snapshot plus the statistics slot of each of its zones (by zone index).
struct ServingState {
  std::shared_ptr<const store::Snapshot> snapshot;
  std::vector<std::uint16_t> zoneSlots;
  std::uint64_t generation = 0; ///< set by SnapshotHolder::publish

  /// The statistics slot of a zone of this snapshot (kNoZoneSlot for null). No allocation.
  std::uint16_t slotOf(const store::Zone* zone) const noexcept;
};

/// Builds the serving state of a snapshot, giving its zones slots in slots. Reload thread.
std::shared_ptr<ServingState> makeServingState(
    std::shared_ptr<const store::Snapshot> snapshot, metrics::ZoneSlots& slots);

/// Publishes the current ServingState to the workers with one atomic swap. Workers poll generation()
/// (one relaxed-cheap acquire load per batch) and load() only when it changed. Replaced states are kept
/// until every worker has moved past them (reportSeen), so the big free happens in collect(), never
/// on a serving thread.
class SnapshotHolder {
public:
  /// workers: how many readers report through reportSeen.
  explicit SnapshotHolder(std::size_t workers);
  /// Installs state as current and retires the previous one. Any thread.
  void publish(std::shared_ptr<ServingState> state);
  std::shared_ptr<const ServingState> load() const noexcept
  {
    return d_current.load(std::memory_order_acquire);
  }
  std::uint64_t generation() const noexcept { return d_generation.load(std::memory_order_acquire); }
  /// Worker `worker` now uses generation; it holds no older state.
  void reportSeen(std::size_t worker, std::uint64_t generation) noexcept;
  /// Frees retired states no worker can still hold. Returns how many were freed. Control thread.
  std::size_t collect();
  std::size_t retiredCount() const;

private:
  struct alignas(64) Seen {
    std::atomic<std::uint64_t> generation { 0 };
  };
  std::atomic<std::shared_ptr<const ServingState>> d_current;
  std::atomic<std::uint64_t> d_generation { 0 };
  std::unique_ptr<Seen[]> d_seen;
  std::size_t d_workers;
  mutable std::mutex d_retiredMutex;
  std::vector<std::shared_ptr<const ServingState>> d_retired;
};

} // namespace shun::server
