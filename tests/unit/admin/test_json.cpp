#include "shun/admin/json.hpp"

#include <catch2/catch.hpp>

using shun::admin::jsonString;

TEST_CASE("json: strings escape quotes, controls and angle brackets")
{
  CHECK(jsonString("a\"b\\c") == R"("a\"b\\c")");
  CHECK(jsonString("\n<b>") == R"("\u000a\u003cb\u003e")");
}
