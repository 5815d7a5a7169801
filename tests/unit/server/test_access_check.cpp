#include "server/access_check.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace shun;

TEST_CASE("access check: as root, a zone file the service user cannot read is fatal and names both")
{
  const passwd* nobody = ::getpwnam("nobody");
  if (::geteuid() != 0 || !nobody)
    return; // checking as another user needs root
  shuntest::TempDir temp;
  std::filesystem::path directory = temp.path();
  ::chmod(directory.c_str(), 0755);
  std::string secret = (directory / "secret.zone").string(), open = (directory / "open.zone").string();
  std::ofstream(secret) << "192.0.2.1\n";
  std::ofstream(open) << "192.0.2.2\n";
  ::chmod(secret.c_str(), 0600);
  ::chmod(open.c_str(), 0644);
  config::Config config;
  config.runtime.zones.push_back(
      { "bl.example", "ip4set", { secret, open, (directory / "missing").string() } });
  server::Identity identity { true, nobody->pw_uid, nobody->pw_gid, "nobody" };
  auto problems = server::accessProblemsAs(config, identity);
  REQUIRE(problems.size() == 1); // a missing file is the loader's to report
  CHECK(problems[0].fatal);
  CHECK_THAT(problems[0].message, Catch::StartsWith("user nobody (uid " + std::to_string(nobody->pw_uid)));
  CHECK_THAT(
      problems[0].message, Catch::Contains("cannot read the zone file " + secret + ": Permission denied"));
  CHECK(server::accessProblems(config).empty()); // root reads everything: why --check drops privileges
}
