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
