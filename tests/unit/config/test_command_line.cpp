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
  std::string out, err;
};

Parsed parse(std::vector<std::string> args)
{
  args.insert(args.begin(), "shund");
  std::vector<const char*> argv;
  argv.reserve(args.size());
  for (const auto& arg : args)
    argv.push_back(arg.c_str());
  Parsed parsed;
  std::ostringstream out, err;
  parsed.exit = config::parseCommandLine(static_cast<int>(argv.size()), argv.data(), parsed.config, out, err);
  parsed.out = out.str();
  parsed.err = err.str();
  return parsed;
}

// A bad command line: exit 1 and exactly one line on stderr that mentions `what`.
void checkRejected(const std::vector<std::string>& args, const std::string& what)
{
  auto parsed = parse(args);
  INFO(parsed.err);
  CHECK(parsed.exit == 1);
  CHECK(std::count(parsed.err.begin(), parsed.err.end(), '\n') == 1);
  CHECK(parsed.err.rfind("shund: ", 0) == 0);
  CHECK(parsed.err.find(what) != std::string::npos);
}

} // namespace

TEST_CASE("command line: rbldnsd's short options fill the configuration")
{
  auto parsed = parse({ "-n", "-b", "127.0.0.1/0", "-b", "::1/5353", "-6", "-t", "5m:1m:1h", "-c", "2m", "-e",
      "-q", "-p", "/run/shund.pid", "-l", "+/tmp/q.log", "-s", "/tmp/s.log", "-u", "nobody:nogroup", "-r",
      "/srv", "-w", "data", "-f", "-a", "-vv", "-C", "bl.example:ip4set:a.zone,b.zone" });
  INFO(parsed.err);
  REQUIRE_FALSE(parsed.exit);
  const auto& server = parsed.config.server;
  CHECK(server.listen == std::vector<config::ListenSpec> { { "127.0.0.1", "0" }, { "::1", "5353" } });
  CHECK(server.family == config::Family::V6);
  CHECK(server.foreground);
  CHECK(server.checkInterval == 120);
  CHECK(server.quickStart);
  CHECK(server.pidfile == "/run/shund.pid");
  CHECK(server.queryLog.path == "/tmp/q.log");
  CHECK(server.queryLog.plus);
  CHECK(server.statsFile.path == "/tmp/s.log");
  CHECK_FALSE(server.statsFile.plus);
  CHECK(server.user == "nobody");
  CHECK(server.group == "nogroup");
  CHECK(server.chroot == "/srv");
  CHECK(server.workdir == "data");
  const auto& runtime = parsed.config.runtime;
  CHECK(runtime.load.defaultTtl == 300);
  CHECK(runtime.load.minTtl == 60);
  CHECK(runtime.load.maxTtl == 3600);
  CHECK(runtime.load.acceptHostBits);
  CHECK_FALSE(runtime.load.gunzip);
  CHECK(runtime.answer.minimalAnswers);
  CHECK(runtime.answer.version == query::VersionMode::Refuse);
  REQUIRE(runtime.zones.size() == 1);
  CHECK(runtime.zones[0].zone == "bl.example");
  CHECK(parsed.config.mode == config::Mode::Serve);
}

TEST_CASE("command line: defaults match rbldnsd's")
{
  auto parsed = parse({ "-b", "127.0.0.1", "bl.example:ip4set:x" });
  REQUIRE_FALSE(parsed.exit);
  CHECK_FALSE(parsed.config.server.foreground);
  CHECK(parsed.config.server.checkInterval == 60);
  CHECK(parsed.config.server.listen[0].port == "53");
  CHECK(parsed.config.runtime.load.defaultTtl == 2100);
  CHECK(parsed.config.runtime.load.gunzip);
  CHECK_FALSE(parsed.config.runtime.answer.minimalAnswers);
  CHECK(parsed.config.runtime.answer.version == query::VersionMode::Full);
  CHECK(parsed.config.server.family == config::Family::Any);
}

TEST_CASE("command line: clustered and attached short options work as with getopt")
{
  auto parsed = parse({ "-nqv", "-b127.0.0.1/0", "-c0", "bl.example:ip4set:x" });
  INFO(parsed.err);
  REQUIRE_FALSE(parsed.exit);
  CHECK(parsed.config.server.foreground);
  CHECK(parsed.config.server.quickStart);
  CHECK(parsed.config.server.checkInterval == 0);
  CHECK(parsed.config.runtime.answer.version == query::VersionMode::Short);
  CHECK(parsed.config.server.listen[0].host == "127.0.0.1");
}

TEST_CASE("command line: long options, -d, --check and -A")
{
  auto parsed = parse({ "--check", "--threads", "3", "--max-udp-size", "4096", "--tcp-idle-timeout", "5",
      "--tcp-max-connections", "7", "-a", "-A", "bl.example:ip4set:x" });
  INFO(parsed.err);
  REQUIRE_FALSE(parsed.exit);
  CHECK(parsed.config.mode == config::Mode::Check); // no -b needed to check
  CHECK(parsed.config.server.threads == 3);
  CHECK(parsed.config.runtime.answer.maxUdpPayload == 4096);
  CHECK(parsed.config.server.tcpIdleTimeout == 5);
  CHECK(parsed.config.server.tcpMaxConnections == 7);
  CHECK_FALSE(parsed.config.runtime.answer.minimalAnswers);
  CHECK(parse({ "-d", "bl.example:ip4set:x" }).config.mode == config::Mode::Dump);
}

TEST_CASE("command line: --config reads long option names and zones from a file")
{
  {
    std::ofstream file("/tmp/shund-config-test.ini");
    file << "bind = \"127.0.0.1/0\"\nforeground = true\nttl = \"10m\"\nthreads = 2\n"
         << "zone = [\"bl.example:ip4set:a.zone\", \"dbl.example:dnset:b.zone\"]\n";
  }
  auto parsed = parse({ "--config", "/tmp/shund-config-test.ini" });
  std::remove("/tmp/shund-config-test.ini");
  INFO(parsed.err);
  REQUIRE_FALSE(parsed.exit);
  CHECK(parsed.config.server.listen[0].port == "0");
  CHECK(parsed.config.server.foreground);
  CHECK(parsed.config.server.threads == 2);
  CHECK(parsed.config.runtime.load.defaultTtl == 600);
  REQUIRE(parsed.config.runtime.zones.size() == 2);
  CHECK(parsed.config.runtime.zones[1].zone == "dbl.example");
}

TEST_CASE("command line: --help prints the options and exits 0")
{
  auto parsed = parse({ "--help" });
  CHECK(parsed.exit == 0);
  CHECK(parsed.out.find("--tcp-idle-timeout") != std::string::npos);
  CHECK(parsed.err.empty());
}

TEST_CASE("command line: every bad argument exits 1 with one line naming it")
{
  checkRejected({ "--bogus", "-b", "127.0.0.1", "bl.example:ip4set:x" }, "--bogus");
  checkRejected({ "-b", "127.0.0.1", "-t", "5x", "bl.example:ip4set:x" }, "5x");
  checkRejected({ "-b", "127.0.0.1", "-c", "soon", "bl.example:ip4set:x" }, "soon");
  checkRejected({ "-b", "/53", "bl.example:ip4set:x" }, "/53");
  checkRejected({ "-b", "127.0.0.1", "--threads", "many", "bl.example:ip4set:x" }, "threads");
  checkRejected({ "-b", "127.0.0.1", "--max-udp-size", "100", "bl.example:ip4set:x" }, "max-udp-size");
  checkRejected(
      { "-b", "127.0.0.1", "--tcp-max-connections", "0", "bl.example:ip4set:x" }, "tcp-max-connections");
  checkRejected({ "-b", "127.0.0.1", "-u", ":grp", "bl.example:ip4set:x" }, "-u");
  checkRejected({ "-b", "127.0.0.1" }, "no zones");
  checkRejected({ "bl.example:ip4set:x" }, "-b");
  checkRejected({ "-b" }, "-b");
  checkRejected({ "--config", "/nonexistent/shund.conf" }, "shund.conf");
}

TEST_CASE("command line: -l - logs to standard output, and -b takes one value so zones follow it")
{
  auto parsed
      = parse({ "-b", "127.0.0.1", "-l", "-", "-b", "::1", "bl.example:ip4set:x", "dbl.example:dnset:y" });
  INFO(parsed.err);
  REQUIRE_FALSE(parsed.exit);
  CHECK(parsed.config.server.queryLog.path == "-");
  CHECK(parsed.config.server.listen.size() == 2);
  CHECK(parsed.config.runtime.zones.size() == 2);
}

TEST_CASE("command line: the command line wins over the file, and zone lines anywhere in the file add up")
{
  {
    std::ofstream file("/tmp/shund-config-test-2.ini");
    file
        << "zone = \"bl.example:ip4set:a.zone\"\nbind = \"127.0.0.1/0\"\nttl = \"10m\"\ncheck-interval = 5m\n"
        << "zone = \"dbl.example:dnset:b.zone\"\n";
  }
  auto parsed = parse({ "--config", "/tmp/shund-config-test-2.ini", "-t", "20m", "-b", "::1/0" });
  std::remove("/tmp/shund-config-test-2.ini");
  INFO(parsed.err);
  REQUIRE_FALSE(parsed.exit);
  CHECK(parsed.config.server.listen == std::vector<config::ListenSpec> { { "::1", "0" } });
  CHECK(parsed.config.runtime.load.defaultTtl == 1200);
  CHECK(parsed.config.server.checkInterval == 300);
  REQUIRE(parsed.config.runtime.zones.size() == 2);
  CHECK(parsed.config.runtime.zones[1].zone == "dbl.example");
}

TEST_CASE(
    "command line: an unknown key or a bad value in the file exits 1 with file:line, as readConfigFile says")
{
  const std::string path = "/tmp/shund-config-test-3.ini";
  for (const std::string bad : { "colour = blue", "threads = many", "check-interval = soon" }) {
    {
      std::ofstream file(path);
      file << "zone = \"bl.example:ip4set:a.zone\"\n" << bad << "\n";
    }
    auto parsed = parse({ "--config", path, "--check" });
    INFO(parsed.err);
    CHECK(parsed.exit == 1);
    std::string message;
    try {
      config::readConfigFile(path);
    } catch (const config::ConfigError& error) {
      message = error.what();
    }
    CHECK(message.rfind(path + ":2: ", 0) == 0);
    CHECK(parsed.err == "shund: " + message + "\n");
  }
  std::remove(path.c_str());
}

TEST_CASE("command line: load limits have defaults and can be set, too small ones are refused")
{
  auto defaults = parse({ "-b", "127.0.0.1", "bl.example:ip4set:x" });
  REQUIRE_FALSE(defaults.exit);
  CHECK(defaults.config.runtime.load.maxLineLength == 65536);
  CHECK(defaults.config.runtime.load.gzipMaxBytes == std::uint64_t { 4 } << 30);
  CHECK(defaults.config.runtime.load.gzipMaxRatio == 200);
  auto set = parse({ "--max-line-length", "1024", "--gzip-max-bytes", "1000000", "--gzip-max-ratio", "50",
      "-b", "127.0.0.1", "bl.example:ip4set:x" });
  REQUIRE_FALSE(set.exit);
  CHECK(set.config.runtime.load.maxLineLength == 1024);
  CHECK(set.config.runtime.load.gzipMaxBytes == 1000000);
  CHECK(set.config.runtime.load.gzipMaxRatio == 50);
  checkRejected({ "--max-line-length", "10", "-b", "127.0.0.1", "bl.example:ip4set:x" }, "--max-line-length");
  checkRejected(
      { "--max-line-length", "100000000", "-b", "127.0.0.1", "bl.example:ip4set:x" }, "--max-line-length");
  checkRejected({ "--gzip-max-ratio", "1", "-b", "127.0.0.1", "bl.example:ip4set:x" }, "--gzip-max-ratio");
}

TEST_CASE("command line: rate limiting is off and cookies on by default; --rrl and its options")
{
  auto defaults = parse({ "-b", "127.0.0.1", "bl.example:ip4set:x" });
  REQUIRE_FALSE(defaults.exit);
  CHECK_FALSE(defaults.config.server.rrl.enabled);
  CHECK(defaults.config.server.cookies);
  CHECK(defaults.config.server.cookieSecretFile.empty());
  auto on = parse({ "-b", "127.0.0.1", "--rrl", "bl.example:ip4set:x" });
  REQUIRE_FALSE(on.exit);
  CHECK(on.config.server.rrl.enabled);
  CHECK_FALSE(on.config.server.rrl.logOnly);
  CHECK(on.config.server.rrl.rate == 2000);
  CHECK(on.config.server.rrl.slip == 2);
  auto tuned = parse({ "-b", "127.0.0.1", "--rrl-log-only", "--rrl-rate", "50", "--rrl-errors-rate", "5",
      "--rrl-slip", "0", "--rrl-burst", "3", "--rrl-ipv4-prefix", "32", "--rrl-ipv6-prefix", "64",
      "--rrl-exempt", "192.0.2.0/24", "--rrl-exempt", "2001:db8::/32", "--no-cookies", "--cookie-secret",
      "/s", "bl.example:ip4set:x" });
  INFO(tuned.err);
  REQUIRE_FALSE(tuned.exit);
  const auto& rrl = tuned.config.server.rrl;
  CHECK(rrl.enabled); // --rrl-log-only alone turns it on
  CHECK(rrl.logOnly);
  CHECK(rrl.rate == 50);
  CHECK(rrl.errorRate == 5);
  CHECK(rrl.slip == 0);
  CHECK(rrl.burst == 3);
  CHECK(rrl.ipv4Prefix == 32);
  CHECK(rrl.ipv6Prefix == 64);
  REQUIRE(rrl.exempt.size() == 2);
  CHECK(rrl.exempt[1].isV6);
  CHECK_FALSE(tuned.config.server.cookies);
  CHECK(tuned.config.server.cookieSecretFile == "/s");
}

TEST_CASE("command line: bad rate limiting values exit 1 naming the option")
{
  checkRejected({ "-b", "127.0.0.1", "--rrl-rate", "0", "bl.example:ip4set:x" }, "--rrl-rate");
  checkRejected({ "-b", "127.0.0.1", "--rrl-ipv4-prefix", "33", "bl.example:ip4set:x" }, "--rrl-ipv4-prefix");
  checkRejected({ "-b", "127.0.0.1", "--rrl-exempt", "192.0.2.0/40", "bl.example:ip4set:x" }, "--rrl-exempt");
  checkRejected({ "-b", "127.0.0.1", "--rrl-slip", "1000", "bl.example:ip4set:x" }, "--rrl-slip");
}
