#include "admin/self_removal.hpp"

#include <catch2/catch.hpp>

using namespace shun::admin;

namespace {
constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kNow = 1795000000;
} // namespace

TEST_CASE("self-removal: the requests log round-trips and skips junk lines")
{
  RemovalRequest request { kNow, "192.0.2.7", "203.0.113.5", "granted" };
  auto parsed = parseRequests(formatRequest(request) + "garbage line\n" + formatRequest(request));
  REQUIRE(parsed.size() == 2);
  CHECK(parsed[0] == request);
}

TEST_CASE("self-removal: granted removals per key are limited per period, then refused")
{
  shun::listing::SelfRemovalPolicy policy { true, 2, 30 * kDay, 0 };
  std::vector<RemovalRequest> history;
  CHECK(decide(policy, history, "192.0.2.7", kNow).outcome.empty());
  history.push_back({ kNow - 20 * kDay, "192.0.2.7", "a", "granted" });
  history.push_back({ kNow - kDay, "192.0.2.7", "a", "refused-limit" }); // refusals do not count
  CHECK(decide(policy, history, "192.0.2.7", kNow).outcome.empty());
  history.push_back({ kNow - 10 * kDay, "192.0.2.7", "a", "granted" });
  auto refused = decide(policy, history, "192.0.2.7", kNow);
  CHECK(refused.outcome == "refused-limit");
  CHECK(refused.message.find("Fix the problem") != std::string::npos);
  CHECK(decide(policy, history, "192.0.2.8", kNow).outcome.empty()); // other keys unaffected
  CHECK(decide(policy, history, "192.0.2.7", kNow + 11 * kDay).outcome.empty()); // the first one aged out
}

TEST_CASE("self-removal: cooldown and a disallowing policy refuse with their own outcome")
{
  shun::listing::SelfRemovalPolicy policy { true, 5, 30 * kDay, kDay };
  std::vector<RemovalRequest> history { { kNow - 3600, "k.example", "a", "granted" } };
  CHECK(decide(policy, history, "k.example", kNow).outcome == "refused-cooldown");
  CHECK(decide(policy, history, "k.example", kNow + kDay).outcome.empty());
  CHECK(decide(shun::listing::SelfRemovalPolicy {}, {}, "k.example", kNow).outcome == "refused-policy");
}
