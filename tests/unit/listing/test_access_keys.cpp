#include "shun/listing/access_keys.hpp"

#include <catch2/catch.hpp>

using namespace shun::listing;

namespace {
const std::string kKey = "abcdefghijklmnopqrstuvwxyz0123"; // 30 characters
}

TEST_CASE("access keys: a key file reads back what formatAccessKeys wrote")
{
  std::vector<AccessKeyRecord> records { { "partner-1", kKey, 1800000000, 5000, false, { "bl.example" } },
    { "old.key", std::string(26, '7'), 0, 0, true, { "bl.example", "dbl.example" } } };
  auto file = parseAccessKeys(formatAccessKeys(records));
  CHECK(file.error.empty());
  CHECK(file.records == records);
}

TEST_CASE("access keys: keys are 26 to 63 characters of a-z and 0-9")
{
  CHECK(validAccessKey(std::string(26, 'a')));
  CHECK(validAccessKey(std::string(63, '9')));
  CHECK_FALSE(validAccessKey(std::string(25, 'a')));
  CHECK_FALSE(validAccessKey(std::string(64, 'a')));
  CHECK_FALSE(validAccessKey(std::string(26, 'A')));
  CHECK(validAccessKey(std::string(26, 'A'), true));
  CHECK_FALSE(validAccessKey(std::string(25, 'a') + "-", true));
  CHECK_FALSE(validAccessKeyId(""));
  CHECK_FALSE(validAccessKeyId("a b"));
  CHECK(validAccessKeyId("Partner_1.a-b"));
}

TEST_CASE("access keys: a bad line names its line and no key is kept")
{
  auto file = parseAccessKeys(
      "# comment\n\np1 " + kKey + " 0 0 active bl.example\np2 short 0 0 active bl.example\n");
  CHECK(file.records.empty());
  CHECK(file.error.rfind("line 4: bad key for p2", 0) == 0);
  CHECK(
      parseAccessKeys("p1 " + kKey + " 0 0 active bl.example\np1 " + std::string(26, 'b') + " 0 0 active x\n")
          .error.find("given twice")
      != std::string::npos);
  CHECK(
      parseAccessKeys("p1 " + kKey + " 0 0 active x\np2 " + kKey + " 0 0 active x\n").error.find("another id")
      != std::string::npos);
  CHECK(!parseAccessKeys("p1 " + kKey + " 0 0 paused bl.example\n").error.empty());
  CHECK(!parseAccessKeys("p1 " + kKey + " -5 0 active bl.example\n").error.empty());
  CHECK(!parseAccessKeys("p1 " + kKey + " 0 x active bl.example\n").error.empty());
  CHECK(!parseAccessKeys("p1 " + kKey + " 0 0 active\n").error.empty());
  CHECK(!parseAccessKeys("p1 " + kKey + " 0 0 active BL.example.\n").error.empty());
}
