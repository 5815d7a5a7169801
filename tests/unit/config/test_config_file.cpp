#include "config/config_file.hpp"
#include "shun/config/config.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <unistd.h>

using namespace shun;

namespace {

// A configuration file in /tmp, removed at the end of the test.
struct TempFile {
  explicit TempFile(const std::string& text)
      : path("/tmp/shun-config-file-" + std::to_string(::getpid()) + ".conf")
  {
    std::ofstream(path) << text;
  }
  ~TempFile() { std::remove(path.c_str()); }
  std::string path;
};

std::vector<config::FileEntry> entries(const std::string& text)
{
  TempFile file(text);
  return config::readConfigEntries(file.path);
}

// The message of the ConfigError that reading text throws, with the temporary path replaced by "F".
std::string errorOf(const std::string& text)
{
  TempFile file(text);
  try {
    config::readConfigEntries(file.path);
  } catch (const config::ConfigError& error) {
    std::string message = error.what();
    return message.rfind(file.path, 0) == 0 ? "F" + message.substr(file.path.size()) : message;
  }
  return "";
}

std::vector<std::string> texts(const config::FileEntry& entry)
{
  std::vector<std::string> values;
  for (const auto& value : entry.values)
    values.push_back(value.text);
  return values;
}

} // namespace

TEST_CASE("config file: bare, double- and single-quoted values, comments after them")
{
  auto read = entries("# comment\n; another\n\nttl = 35m:1m:1d # bare\nuser = \"shun\" ; quoted\n"
                      "pidfile = '/run/shund.pid'\nzone = bl.example:ip4set:a,b\n");
  REQUIRE(read.size() == 4);
  CHECK(read[0].key == "ttl");
  CHECK(texts(read[0]) == std::vector<std::string> { "35m:1m:1d" });
  CHECK(read[0].line == 4);
  CHECK(texts(read[1]) == std::vector<std::string> { "shun" });
  CHECK(texts(read[2]) == std::vector<std::string> { "/run/shund.pid" });
  CHECK(texts(read[3]) == std::vector<std::string> { "bl.example:ip4set:a,b" }); // a bare comma is no list
}

TEST_CASE("config file: a list may span lines, with comments and a trailing comma, each value keeps its line")
{
  auto read = entries(
      "bind = [ \"127.0.0.1/0\",\n  # the other\n  '::1/0', ]\nzone = [a:ip4set:x, \"b:dnset:y\"]\n");
  REQUIRE(read.size() == 2);
  CHECK(texts(read[0]) == std::vector<std::string> { "127.0.0.1/0", "::1/0" });
  CHECK(read[0].values[0].line == 1);
  CHECK(read[0].values[1].line == 3);
  CHECK(texts(read[1]) == std::vector<std::string> { "a:ip4set:x", "b:dnset:y" });
}

TEST_CASE("config file: a repeated key adds its values, wherever the lines are")
{
  auto read = entries("zone = \"a:ip4set:x\"\nbind = 127.0.0.1\nzone = \"b:ip4set:y\"\n");
  REQUIRE(read.size() == 2);
  CHECK(read[0].key == "zone");
  CHECK(texts(read[0]) == std::vector<std::string> { "a:ip4set:x", "b:ip4set:y" });
  CHECK(read[0].values[1].line == 3);
}

TEST_CASE("config file: a double-quoted value takes backslash escapes, a single-quoted one is literal")
{
  auto read = entries("a = \"x\\\"y\\\\\"\nb = 'x\\y'\n");
  CHECK(texts(read[0]) == std::vector<std::string> { "x\"y\\" });
  CHECK(texts(read[1]) == std::vector<std::string> { "x\\y" });
}

TEST_CASE("config file: bad syntax is an error naming the file and the line")
{
  CHECK(errorOf("ttl = 1m\n[shund]\n")
      == "F:2: sections are not supported: keys are shund's long option names");
  CHECK(errorOf("\nforeground\n") == "F:2: expected key = value");
  CHECK(errorOf("= 1\n") == "F:1: missing key before '='");
  CHECK(errorOf("ttl =\n") == "F:1: missing value after 'ttl ='");
  CHECK(errorOf("user = \"shun\n") == "F:1: missing closing \"");
  CHECK(errorOf("user = \"shun\" nobody\n") == "F:1: unexpected 'nobody' after the value");
  CHECK(errorOf("bind = [ \"a\"\n") == "F:1: unterminated list for 'bind'");
  CHECK(errorOf("bind = [ \"a\" \"b\" ]\n") == "F:1: expected ',' or ']' in the list for 'bind'");
}

TEST_CASE("config file: an unreadable file is an error naming it")
{
  try {
    config::readConfigEntries("/nonexistent/shund.conf");
    FAIL("no error");
  } catch (const config::ConfigError& error) {
    CHECK(std::string(error.what()).rfind("/nonexistent/shund.conf: cannot read", 0) == 0);
  }
}

TEST_CASE("readConfigFile: the zones and options of a file, without listen addresses or the command line")
{
  TempFile file(
      "ttl = 10m\nforeground = true\nzone = [ \"bl.example:ip4set:a\",\n \"dbl.example:dnset:b\" ]\n"
      "hide-version = 2\nzone = 'x.example:ip4trie:c,d'\n");
  auto config = config::readConfigFile(file.path);
  REQUIRE(config.runtime.zones.size() == 3);
  CHECK(config.runtime.zones[1].zone == "dbl.example");
  CHECK(config.runtime.zones[2].files == std::vector<std::string> { "c", "d" });
  CHECK(config.runtime.load.defaultTtl == 600);
  CHECK(config.runtime.answer.version == query::VersionMode::Refuse);
  CHECK(config.server.foreground);
  CHECK(config.server.listen.empty());
}

TEST_CASE("readConfigFile: an unknown key, a bad value or a scalar given twice names the file and the line")
{
  auto rejected = [](const std::string& text) {
    TempFile file(text);
    try {
      config::readConfigFile(file.path);
    } catch (const config::ConfigError& error) {
      std::string message = error.what();
      return message.rfind(file.path, 0) == 0 ? "F" + message.substr(file.path.size()) : message;
    }
    return std::string();
  };
  CHECK(rejected("ttl = 1m\ncolour = blue\n")
      == "F:2: unknown key 'colour' (the keys are shund's long option names, and zone)");
  CHECK(rejected("config = other.conf\n")
      == "F:1: unknown key 'config' (the keys are shund's long option names, and zone)");
  CHECK(rejected("b = 127.0.0.1\n")
      == "F:1: unknown key 'b' (the keys are shund's long option names, and zone)");
  CHECK(rejected("bnd = 127.0.0.1\n") == "F:1: unknown key 'bnd' (did you mean 'bind'?)");
  CHECK(rejected("\nthreads = many\n") == "F:2: invalid threads 'many': expected a number");
  CHECK(rejected("foreground = maybe\n") == "F:1: invalid foreground 'maybe': expected true or false");
  CHECK(rejected("check-interval = soon\n") == "F:1: invalid -c 'soon': expected a time like 60, 1m or 2h");
  CHECK(rejected("zone = [ \"a:ip4set:x\",\n \"b:nosuch:y\" ]\n")
      == "F:2: zone spec \"b:nosuch:y\": unknown dataset type \"nosuch\"");
  CHECK(rejected("ttl = 1m\nttl = 2m\n") == "F:2: 'ttl' given twice");
}
