#include "web/rate_limit.hpp"

#include <catch2/catch.hpp>

using shun::web::RateLimiter;

TEST_CASE("web rate limit: a client may burst, is then refused, and recovers over time")
{
  RateLimiter limiter(3, 1000, 16);
  CHECK(limiter.allow("192.0.2.1", 0));
  CHECK(limiter.allow("192.0.2.1", 0));
  CHECK(limiter.allow("192.0.2.1", 0));
  CHECK_FALSE(limiter.allow("192.0.2.1", 10));
  CHECK(limiter.allow("192.0.2.2", 10)); // another client is not affected
  CHECK(limiter.allow("192.0.2.1", 1100));
  CHECK_FALSE(limiter.allow("192.0.2.1", 1200));
}

TEST_CASE("web rate limit: the client table is bounded; idle clients make room, busy ones do not")
{
  RateLimiter limiter(1, 1000, 2);
  CHECK(limiter.allow("a", 0));
  CHECK(limiter.allow("b", 0));
  CHECK_FALSE(limiter.allow("c", 0)); // both buckets empty: nobody can be evicted
  CHECK(limiter.size() == 2);
  CHECK(limiter.allow("c", 5000)); // a and b refilled, evicted
  CHECK(limiter.size() <= 2);
}
