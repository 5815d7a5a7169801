#include "zone/duplicate_keys.hpp"
#include "zone_test_util.hpp"

#include <catch2/catch.hpp>

using namespace zonetest;
using Strings = std::vector<std::string>;

TEST_CASE("duplicate keys: lines in any order, repeated, 0 or past the end get their key or \"\"")
{
  TempDir dir;
  std::string file = dir.write("data", "1.2.3.4 :2\n!5.6.7.8\n! 9.9.9.9 # c\n10.0.0.0/8;x\n\nexample.com\n");
  shun::zone::LineLimits limits;
  CHECK(shun::zone::keysAtLines(file, false, { 4, 1, 0, 3, 9, 1, 2, 6, 5 }, limits)
      == Strings { "10.0.0.0/8", "1.2.3.4", "", "!9.9.9.9", "", "1.2.3.4", "!5.6.7.8", "example.com", "" });
  CHECK(shun::zone::keysAtLines(file, false, { 0 }, limits) == Strings { "" });
  CHECK(shun::zone::keysAtLines(file, false, {}, limits).empty());
}
