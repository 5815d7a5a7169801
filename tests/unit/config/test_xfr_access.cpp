#include "config/command_line.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <sstream>

using namespace shun;

namespace {

struct Parsed {
  std::optional<int> exit;
  config::Config config;
  std::string err;
};

Parsed parse(std::vector<std::string> args)
{
  args.insert(args.begin(), "shund");
  args.insert(args.end(), { "-b", "127.0.0.1", "bl.example:ip4set:x", "dbl.example:dnset:y" });
  std::vector<const char*> argv;
  for (const auto& arg : args)
    argv.push_back(arg.c_str());
  Parsed parsed;
  std::ostringstream out, err;
  parsed.exit = config::parseCommandLine(static_cast<int>(argv.size()), argv.data(), parsed.config, out, err);
  parsed.err = err.str();
  return parsed;
}

} // namespace

TEST_CASE("xfr access: values with a zone first are that zone's, the others every zone's")
{
  auto parsed = parse({ "--xfr-allow", "192.0.2.1", "--xfr-allow", "BL.example. 10.0.0.0/8", "--xfr-key",
      "k hmac-sha256 /etc/shun/k.secret", "--xfr-key",
      "dbl.example hmac-kd HMAC-SHA512 /etc/shun/kd secret" });
  INFO(parsed.err);
  REQUIRE_FALSE(parsed.exit);
  const auto& xfr = parsed.config.server.xfr;
  CHECK(xfr.allow == std::vector<std::string> { "192.0.2.1" });
  CHECK(xfr.keys == std::vector<std::string> { "k hmac-sha256 /etc/shun/k.secret" });
  REQUIRE(xfr.zones.size() == 2);
  CHECK(xfr.zones.at("bl.example").allow == std::vector<std::string> { "10.0.0.0/8" });
  CHECK(xfr.zones.at("bl.example").keys.empty());
  CHECK(xfr.zones.at("dbl.example").keys
      == std::vector<std::string> { "hmac-kd HMAC-SHA512 /etc/shun/kd secret" });
}

TEST_CASE("xfr access: a zone not served, or a value of the wrong shape, exits 1 naming it")
{
  auto unserved = parse({ "--xfr-allow", "other.example 10.0.0.0/8" });
  CHECK(unserved.exit == 1);
  CHECK(unserved.err.find("'other.example', which is not served") != std::string::npos);
  auto notify = parse({ "--notify", "other.example 127.0.0.1" });
  CHECK(notify.exit == 1);
  CHECK(notify.err.find("--notify 'other.example 127.0.0.1'") != std::string::npos);
  auto key = parse({ "--xfr-key", "bl.example k /etc/shun/k" });
  CHECK(key.exit == 1);
  CHECK(key.err.find("invalid --xfr-key") != std::string::npos);
  auto allow = parse({ "--xfr-allow", "bl.example 10.0.0.0/8 extra" });
  CHECK(allow.exit == 1);
  auto md5 = parse({ "--xfr-key", "k hmac-md5 /etc/shun/k" });
  CHECK(md5.exit == 1);
  CHECK(md5.err.find("hmac-sha512") != std::string::npos);
}

TEST_CASE("xfr access: shund.conf gives per-zone values as repeated lines with the zone first")
{
  {
    std::ofstream file("/tmp/shund-xfr-access-test.ini");
    file << "xfr-allow = \"192.0.2.53\"\nxfr-allow = \"dbl.example 198.51.100.0/24\"\n"
         << "xfr-key = [ \"k hmac-sha256 /k\", \"bl.example kb hmac-sha256 /kb\" ]\n";
  }
  auto parsed = parse({ "--config", "/tmp/shund-xfr-access-test.ini" });
  std::remove("/tmp/shund-xfr-access-test.ini");
  INFO(parsed.err);
  REQUIRE_FALSE(parsed.exit);
  const auto& xfr = parsed.config.server.xfr;
  CHECK(xfr.allow == std::vector<std::string> { "192.0.2.53" });
  CHECK(xfr.zones.at("dbl.example").allow == std::vector<std::string> { "198.51.100.0/24" });
  CHECK(xfr.zones.at("bl.example").keys == std::vector<std::string> { "kb hmac-sha256 /kb" });
}
