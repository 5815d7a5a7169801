#include "config/command_line.hpp"

#include <catch2/catch.hpp>
#include <sstream>

using namespace shun;

namespace {

std::optional<int> parse(std::vector<std::string> args, config::Config& config, std::string& err)
{
  args.insert(args.begin(), "shund");
  std::vector<const char*> argv;
  for (const auto& arg : args)
    argv.push_back(arg.c_str());
  std::ostringstream out, errors;
  auto exit = config::parseCommandLine(static_cast<int>(argv.size()), argv.data(), config, out, errors);
  err = errors.str();
  return exit;
}

} // namespace

TEST_CASE("keyed zones: --keyed-zone lower-cases, the key file defaults to access.keys beside the data")
{
  config::Config config;
  std::string err;
  REQUIRE_FALSE(parse({ "-b", "127.0.0.1", "--keyed-zone", "BL.Example.",
                          "bl.example:ip4set:/var/lib/shun/bl", "open.example:ip4set:/srv/open" },
      config, err));
  CHECK(config.runtime.keyedZones == std::vector<std::string> { "bl.example" });
  CHECK(config.runtime.keyFile == "/var/lib/shun/access.keys");
  CHECK(config.runtime.answer.accessRefusal == 0);
  REQUIRE_FALSE(parse({ "-b", "127.0.0.1", "--keyed-zone", "bl.example", "--key-file", "/etc/shun/keys",
                          "--key-refusal", "127.255.255.254", "bl.example:ip4set:bl" },
      config, err));
  CHECK(config.runtime.keyFile == "/etc/shun/keys");
  CHECK(config.runtime.answer.accessRefusal == 254);
  REQUIRE_FALSE(parse({ "-b", "127.0.0.1", "bl.example:ip4set:bl" }, config, err));
  CHECK(config.runtime.keyedZones.empty());
  CHECK(config.runtime.keyFile.empty());
}

TEST_CASE("keyed zones: an unserved keyed zone and a bad refusal code exit 1 naming the option")
{
  config::Config config;
  std::string err;
  CHECK(parse({ "-b", "127.0.0.1", "--keyed-zone", "other.example", "bl.example:ip4set:bl" }, config, err)
      == 1);
  CHECK(err.find("--keyed-zone other.example: not a zone shund serves") != std::string::npos);
  for (const char* code : { "127.0.0.2", "127.255.255.0", "127.255.255.256", "127.255.255.2x", "deny" }) {
    INFO(code);
    CHECK(parse({ "-b", "127.0.0.1", "--key-refusal", code, "bl.example:ip4set:bl" }, config, err) == 1);
    CHECK(err.find("--key-refusal") != std::string::npos);
  }
  CHECK(config::parseKeyRefusal("refused") == 0);
  CHECK(config::parseKeyRefusal("127.255.255.1") == 1);
}
