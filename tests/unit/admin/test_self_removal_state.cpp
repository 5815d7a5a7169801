#include "shun/admin/self_removal_state.hpp"
#include "temp_zone.hpp"

#include <catch2/catch.hpp>
#include <filesystem>

using namespace shun::admin;

namespace {

constexpr std::int64_t kNow = 1'795'000'000; // 2026-11-18

using StateZone = admintest::TempZone;

} // namespace

TEST_CASE("self-removal state: predicts range, test point, limit and cooldown without writing")
{
  StateZone zone("#@selfremoval allowed=yes max=2 per=30d cooldown=1d\n192.0.2.0/24\n192.0.3.7\n127.0.0.2\n");
  SelfRemovalState open = selfRemovalState(zone.target, "192.0.3.7", kNow);
  CHECK(open.refusal.empty());
  CHECK(open.ownEntry);
  CHECK(open.left == 2);
  CHECK(open.next == 0);
  SelfRemovalState range = selfRemovalState(zone.target, "192.0.2.7", kNow);
  CHECK(range.refusal == "refused-range");
  CHECK_FALSE(range.ownEntry);
  CHECK(selfRemovalState(zone.target, "127.0.0.2", kNow).refusal == "refused-protected");
  CHECK_FALSE(std::filesystem::exists(zone.target.dataFile + ".requests"));
  CHECK_FALSE(std::filesystem::exists(zone.target.dataFile + ".journal"));

  REQUIRE(ZoneEditor(zone.target).selfRemove("192.0.3.7", "198.51.100.1", true, kNow).logged == "granted");
  SelfRemovalState cooling = selfRemovalState(zone.target, "192.0.3.7", kNow + 60);
  CHECK(cooling.refusal == "refused-cooldown");
  CHECK(cooling.left == 1);
  CHECK(cooling.next == kNow + 86400);
}

TEST_CASE("self-removal state: without a policy line nothing is allowed")
{
  StateZone zone("192.0.3.7\n");
  SelfRemovalState state = selfRemovalState(zone.target, "192.0.3.7", kNow);
  CHECK_FALSE(state.policy.allowed);
  CHECK(state.refusal == "refused-policy");
}
