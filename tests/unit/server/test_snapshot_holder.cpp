#include "server/snapshot_holder.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>

using namespace shun;

namespace {

std::shared_ptr<const store::Snapshot> snapshotWithZone(const std::string& name, std::int64_t builtAt)
{
  auto snapshot = std::make_shared<store::Snapshot>();
  snapshot->zones.emplace_back();
  snapshot->zones.back().text = name;
  snapshot->builtAt = builtAt;
  return snapshot;
}

} // namespace

TEST_CASE("snapshot holder: publish swaps the state and bumps the generation")
{
  metrics::ZoneSlots slots;
  server::SnapshotHolder holder(1);
  CHECK(holder.generation() == 0);
  CHECK(holder.load() == nullptr);
  holder.publish(server::makeServingState(snapshotWithZone("a.example", 1), slots));
  CHECK(holder.generation() == 1);
  CHECK(holder.load()->snapshot->builtAt == 1);
  holder.publish(server::makeServingState(snapshotWithZone("b.example", 2), slots));
  CHECK(holder.generation() == 2);
  CHECK(holder.load()->generation == 2);
  CHECK(holder.load()->snapshot->builtAt == 2);
}

TEST_CASE("snapshot holder: a replaced state is freed only after every worker moved on")
{
  metrics::ZoneSlots slots;
  server::SnapshotHolder holder(2);
  holder.publish(server::makeServingState(snapshotWithZone("a.example", 1), slots));
  std::weak_ptr<const server::ServingState> first = holder.load();
  holder.reportSeen(0, 1);
  holder.reportSeen(1, 1);
  holder.publish(server::makeServingState(snapshotWithZone("a.example", 2), slots));
  CHECK(holder.retiredCount() == 1);
  holder.reportSeen(0, 2);
  CHECK(holder.collect() == 0); // worker 1 may still hold generation 1
  CHECK_FALSE(first.expired());
  holder.reportSeen(1, 2);
  CHECK(holder.collect() == 1);
  CHECK(first.expired());
}

TEST_CASE("snapshot holder: zones keep their statistics slot across snapshots")
{
  metrics::ZoneSlots slots;
  auto first = server::makeServingState(snapshotWithZone("b.example", 1), slots);
  auto second = server::makeServingState(snapshotWithZone("a.example", 2), slots);
  auto third = server::makeServingState(snapshotWithZone("b.example", 3), slots);
  CHECK(first->slotOf(&first->snapshot->zones[0]) == 0);
  CHECK(second->slotOf(&second->snapshot->zones[0]) == 1);
  CHECK(third->slotOf(&third->snapshot->zones[0]) == 0);
  CHECK(third->slotOf(nullptr) == metrics::kNoZoneSlot);
}

TEST_CASE("snapshot holder: readers always see a whole state while a writer swaps")
{
  metrics::ZoneSlots slots;
  server::SnapshotHolder holder(1);
  holder.publish(server::makeServingState(snapshotWithZone("a.example", 0), slots));
  std::atomic<bool> done { false };
  std::atomic<int> bad { 0 };
  std::thread reader([&] {
    std::int64_t last = 0;
    while (!done.load()) {
      auto state = holder.load();
      auto built = state->snapshot->builtAt;
      if (built < last || state->snapshot->zones.size() != 1)
        ++bad;
      last = built;
      holder.reportSeen(0, state->generation);
    }
  });
  for (std::int64_t index = 1; index <= 2000; ++index) {
    holder.publish(server::makeServingState(snapshotWithZone("a.example", index), slots));
    holder.collect();
  }
  done = true;
  reader.join();
  CHECK(bad.load() == 0);
  CHECK(holder.load()->snapshot->builtAt == 2000);
}
