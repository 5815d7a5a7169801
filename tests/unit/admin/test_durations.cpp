#include "admin/durations.hpp"

#include <catch2/catch.hpp>

using namespace shun::admin;

TEST_CASE("durations: operator forms parse to seconds")
{
  CHECK(parseDuration("90s") == 90);
  CHECK(parseDuration("30m") == 1800);
  CHECK(parseDuration("12h") == 43200);
  CHECK(parseDuration("7d") == 7 * 86400);
  CHECK(parseDuration("2W") == 14 * 86400);
  CHECK(parseDuration("1w2d12h") == (9 * 86400 + 12 * 3600));
}

TEST_CASE("durations: malformed, zero and ambiguous durations are refused")
{
  CHECK_FALSE(parseDuration(""));
  CHECK_FALSE(parseDuration("0"));
  CHECK_FALSE(parseDuration("0s"));
  CHECK_FALSE(parseDuration("7x"));
  CHECK_FALSE(parseDuration("d"));
  CHECK_FALSE(parseDuration("1d5"));
  CHECK_FALSE(parseDuration("-3d"));
  CHECK_FALSE(parseDuration("99999999999999999999d"));
}

TEST_CASE("durations: a number without its unit is refused (seconds or days?)")
{
  CHECK_FALSE(parseDuration("7"));
  CHECK_FALSE(parseDuration("90"));
}

TEST_CASE("end time: ISO instant, a date alone (midnight UTC) or unix seconds")
{
  CHECK(parseEndTime("2026-12-31T12:00:00Z") == 1798675200 + 43200);
  CHECK(parseEndTime("2026-12-31") == 1798675200);
  CHECK(parseEndTime("1798675200") == 1798675200);
  CHECK_FALSE(parseEndTime("2026-02-30"));
  CHECK_FALSE(parseEndTime("2026-12-31 12:00"));
  CHECK_FALSE(parseEndTime("tomorrow"));
  CHECK_FALSE(parseEndTime("-5"));
  CHECK_FALSE(parseEndTime(""));
}

TEST_CASE("durations: formatting reads back")
{
  CHECK(formatDuration(9 * 86400 + 3600) == "1w2d1h");
  CHECK(formatDuration(90) == "1m30s");
  CHECK(parseDuration(formatDuration(123456)) == 123456);
}

TEST_CASE("escalation: a first listing gets the default duration")
{
  shun::listing::EscalationPolicy policy;
  auto result = escalate(policy, 0, 0, 1'000'000);
  CHECK(result.duration == 7 * 86400);
  CHECK(result.level == 0);
}

TEST_CASE("escalation: each relisting within the window doubles the duration, capped")
{
  shun::listing::EscalationPolicy policy; // 7d, window 30d, factor 2, max 90d
  std::int64_t now = 100 * 86400;
  auto second = escalate(policy, 0, now - 10 * 86400, now);
  CHECK(second.duration == 14 * 86400);
  CHECK(second.level == 1);
  auto third = escalate(policy, 1, now - 10 * 86400, now);
  CHECK(third.duration == 28 * 86400);
  auto capped = escalate(policy, 5, now - 1, now);
  CHECK(capped.duration == 90 * 86400);
}

TEST_CASE("escalation: a relisting after the window starts over")
{
  shun::listing::EscalationPolicy policy;
  std::int64_t now = 100 * 86400;
  auto result = escalate(policy, 3, now - 31 * 86400, now);
  CHECK(result.duration == 7 * 86400);
  CHECK(result.level == 0);
}
