#include "shun/config/config.hpp"

#include <catch2/catch.hpp>

using namespace shun;

TEST_CASE("durations: plain seconds and rbldnsd's units s m h d w")
{
  CHECK(config::parseDuration("0") == 0u);
  CHECK(config::parseDuration("30") == 30u);
  CHECK(config::parseDuration("35m") == 2100u);
  CHECK(config::parseDuration("2h") == 7200u);
  CHECK(config::parseDuration("1d") == 86400u);
  CHECK(config::parseDuration("1w") == 604800u);
  CHECK(config::parseDuration("10S") == 10u);
  CHECK(config::parseDuration("1h30m") == 5400u);
}

TEST_CASE("durations: junk, unknown units and overflow are rejected")
{
  CHECK_FALSE(config::parseDuration(""));
  CHECK_FALSE(config::parseDuration("m"));
  CHECK_FALSE(config::parseDuration("5y"));
  CHECK_FALSE(config::parseDuration("-5"));
  CHECK_FALSE(config::parseDuration("5 m"));
  CHECK_FALSE(config::parseDuration("1h30"));
  CHECK_FALSE(config::parseDuration("99999999999"));
  CHECK_FALSE(config::parseDuration("4000w"));
}

TEST_CASE("-t: def:min:max with empty fields keeping their defaults")
{
  zone::LoadOptions options;
  config::applyTtlSpec("30", options);
  CHECK(options.defaultTtl == 30);
  CHECK(options.minTtl == 0);
  CHECK(options.maxTtl == 0);
  zone::LoadOptions clamps;
  config::applyTtlSpec("::2m", clamps);
  CHECK(clamps.defaultTtl == 2100);
  CHECK(clamps.maxTtl == 120);
  zone::LoadOptions all;
  config::applyTtlSpec("1h:1m:1d", all);
  CHECK(all.defaultTtl == 3600);
  CHECK(all.minTtl == 60);
  CHECK(all.maxTtl == 86400);
}

TEST_CASE("-t: a bad field or a fourth field is an error naming it")
{
  zone::LoadOptions options;
  CHECK_THROWS_WITH(config::applyTtlSpec("1x", options), Catch::Contains("default TTL '1x'"));
  CHECK_THROWS_WITH(config::applyTtlSpec(":zz", options), Catch::Contains("minimum TTL"));
  CHECK_THROWS_AS(config::applyTtlSpec("1:2:3:4", options), config::ConfigError);
  CHECK_THROWS_WITH(config::applyTtlSpec(":1h:1m", options), Catch::Contains("above the maximum"));
}

TEST_CASE("-b: address and optional port split at the last slash, IPv6 included")
{
  CHECK(config::parseListenSpec("127.0.0.1") == config::ListenSpec { "127.0.0.1", "53" });
  CHECK(config::parseListenSpec("127.0.0.1/0") == config::ListenSpec { "127.0.0.1", "0" });
  CHECK(config::parseListenSpec("::1/5353") == config::ListenSpec { "::1", "5353" });
  CHECK(config::parseListenSpec("localhost/domain") == config::ListenSpec { "localhost", "domain" });
  CHECK_THROWS_AS(config::parseListenSpec("/53"), config::ConfigError);
  CHECK_THROWS_AS(config::parseListenSpec("127.0.0.1/"), config::ConfigError);
}

TEST_CASE("listen spec: a port over 65535 or host:port is an error naming the option and the form")
{
  CHECK_THROWS_WITH(config::parseListenSpec("127.0.0.1/70000"),
      "invalid -b '127.0.0.1/70000': the port is not 0 to 65535 or a service name (expected addr[/port], "
      "e.g. "
      "127.0.0.1/5353 or ::1/5353)");
  CHECK_THROWS_WITH(config::parseListenSpec("127.0.0.1:8053", "--http"),
      Catch::Contains(
          "invalid --http '127.0.0.1:8053': not an address or host name (the port follows a '/')"));
  CHECK_THROWS_AS(config::parseListenSpec("::1/5x!"), config::ConfigError);
  CHECK(config::parseListenSpec("::1") == config::ListenSpec { "::1", "53" });
}

TEST_CASE("-l and -s: a leading + is a flag, not part of the name")
{
  auto plain = config::parseOutputFile("/var/log/q.log");
  CHECK(plain.path == "/var/log/q.log");
  CHECK_FALSE(plain.plus);
  auto plus = config::parseOutputFile("+-");
  CHECK(plus.path == "-");
  CHECK(plus.plus);
}

TEST_CASE("-u: user with an optional group")
{
  config::ServerConfig server;
  config::applyUserSpec("rbldns", server);
  CHECK(server.user == "rbldns");
  CHECK(server.group.empty());
  config::applyUserSpec("nobody:nogroup", server);
  CHECK(server.user == "nobody");
  CHECK(server.group == "nogroup");
  CHECK_THROWS_AS(config::applyUserSpec(":wheel", server), config::ConfigError);
}
