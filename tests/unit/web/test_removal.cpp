#include "web/removal.hpp"

#include <catch2/catch.hpp>

using namespace shun::web;

namespace {
constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kNow = 1795000000;
} // namespace

TEST_CASE("web removal: the #@selfremoval line and #@code meanings are read from the zone file")
{
  std::string error;
  auto notes
      = parseZoneNotes("# x\n#@selfremoval allowed=yes max=3 per=7d cooldown=1d\n#@code 127.0.0.3 Spam "
                       "source\n127.0.0.2\n",
          error);
  CHECK(error.empty());
  CHECK(notes.policy.allowed);
  CHECK(notes.policy.max == 3);
  CHECK(notes.policy.period == 7 * kDay);
  CHECK(notes.policy.cooldown == kDay);
  CHECK(notes.meanings["127.0.0.3"] == "Spam source");
}

TEST_CASE("web removal: no policy line or a malformed one means self-removal is not allowed")
{
  std::string error;
  CHECK_FALSE(parseZoneNotes("127.0.0.2\n", error).policy.allowed);
  CHECK_FALSE(parseZoneNotes("#@selfremoval allowed=yes max=lots\n", error).policy.allowed);
  CHECK(error.find("line 1") != std::string::npos);
}

TEST_CASE("web removal: the requests log round-trips and skips junk lines")
{
  RemovalRequest request { kNow, "192.0.2.7", "203.0.113.5", "granted" };
  auto parsed = parseRequests(formatRequest(request) + "garbage line\n" + formatRequest(request));
  REQUIRE(parsed.size() == 2);
  CHECK(parsed[0] == request);
}

TEST_CASE("web removal: granted removals per key are limited per period, then refused")
{
  SelfRemovalPolicy policy { true, 2, 30 * kDay, 0 };
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

TEST_CASE("web removal: cooldown and a disallowing policy refuse with their own outcome")
{
  SelfRemovalPolicy policy { true, 5, 30 * kDay, kDay };
  std::vector<RemovalRequest> history { { kNow - 3600, "k.example", "a", "granted" } };
  CHECK(decide(policy, history, "k.example", kNow).outcome == "refused-cooldown");
  CHECK(decide(policy, history, "k.example", kNow + kDay).outcome.empty());
  CHECK(decide(SelfRemovalPolicy {}, {}, "k.example", kNow).outcome == "refused-policy");
}
