// The configuration file's entries applied as the options of the same names, for shund and shunctl alike.
#include "config/command_line.hpp"
#include "config/config_file.hpp"

#include <algorithm>
#include <string_view>

namespace shun::config {
namespace {

// The option a file key sets: "--key", or the zone positional. Not --config (one file) nor --help.
const CLI::Option* optionForKey(const CLI::App& app, const std::string& key)
{
  if (key == "config" || key == "help")
    return nullptr;
  if (key == "zone")
    return app.get_option_no_throw("zone");
  return app.get_option_no_throw("--" + key);
}

// Edits (insert, delete, replace) turning a into b, for "did you mean".
std::size_t editDistance(std::string_view a, std::string_view b)
{
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({ row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1) });
      diagonal = above;
    }
  }
  return row[b.size()];
}

// "unknown key 'bnd' (did you mean 'bind'?)", or the rule for keys when nothing is close.
std::string unknownKey(const CLI::App& app, const std::string& key)
{
  std::string closest;
  std::size_t best = 3; // more edits than 2: not a typo
  for (const CLI::Option* option : app.get_options()) {
    for (const std::string& name : option->get_lnames()) {
      std::size_t distance = editDistance(key, name);
      if (distance < best && name != "config" && name != "help") {
        best = distance;
        closest = name;
      }
    }
  }
  if (!closest.empty())
    return "unknown key '" + key + "' (did you mean '" + closest + "'?)";
  return "unknown key '" + key + "' (the keys are shund's long option names, and zone)";
}

// The arguments that give key these values on a command line: "--key=value" each, or the zones.
std::vector<std::string> argumentsFor(const std::string& key, const std::vector<FileValue>& values)
{
  std::vector<std::string> args { "shund" };
  if (key == "zone")
    args.push_back("--"); // a zone spec is never an option
  for (const FileValue& value : values)
    args.push_back(key == "zone" ? value.text : "--" + key + "=" + value.text);
  return args;
}

// Parses args into line with a fresh copy of shund's options.
void parseInto(const std::vector<std::string>& args, CommandLine& line)
{
  CLI::App app;
  declareOptions(app, line);
  std::vector<const char*> argv;
  argv.reserve(args.size());
  for (const std::string& arg : args)
    argv.push_back(arg.c_str());
  app.parse(static_cast<int>(argv.size()), argv.data());
}

// What a value of option must look like, for the message about one that does not.
std::string expected(const CLI::Option& option)
{
  if (option.get_expected_max() == 0)
    return ": expected true or false";
  if (option.get_type_name().find("INT") != std::string::npos)
    return ": expected a number";
  return "";
}

// Checks one value alone (conversion and meaning), so that an error names its line.
void checkValue(
    const std::string& path, const CLI::Option& option, const std::string& key, const FileValue& value)
{
  CommandLine scratch;
  try {
    parseInto(argumentsFor(key, { value }), scratch);
    toServerConfig(scratch);
    toRuntimeConfig(scratch);
  } catch (const CLI::ParseError&) {
    throw ConfigError(
        fileWhere(path, value.line) + "invalid " + key + " '" + value.text + "'" + expected(option));
  } catch (const std::exception& error) {
    throw ConfigError(fileWhere(path, value.line) + error.what());
  }
}

} // namespace

void applyConfigFile(const std::string& path, const CLI::App& commandLine, CommandLine& line)
{
  for (const FileEntry& entry : readConfigEntries(path)) {
    const CLI::Option* option = optionForKey(commandLine, entry.key);
    if (!option)
      throw ConfigError(fileWhere(path, entry.line) + unknownKey(commandLine, entry.key));
    bool list = option->get_items_expected_max() > 1;
    if (!list && entry.values.size() > 1)
      throw ConfigError(fileWhere(path, entry.values[1].line) + "'" + entry.key + "' given twice");
    for (const FileValue& value : entry.values)
      checkValue(path, *option, entry.key, value);
    if (option->count() == 0 && !entry.values.empty())
      parseInto(argumentsFor(entry.key, entry.values), line);
  }
}

Config readConfigFile(const std::string& path)
{
  CLI::App app;
  CommandLine line;
  declareOptions(app, line);
  applyConfigFile(path, app, line);
  Config config;
  config.server = toServerConfig(line);
  config.runtime = toRuntimeConfig(line);
  return config;
}

} // namespace shun::config
