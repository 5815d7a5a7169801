// Keyed zones (--keyed-zone, --key-file, --key-refusal): which zones need an access key in the query name.
#include "config/command_line.hpp"
#include "shun/listing/key.hpp"

#include <algorithm>
#include <charconv>

namespace shun::config {

std::uint8_t parseKeyRefusal(std::string_view text)
{
  if (text == "refused" || text == "refuse")
    return 0;
  constexpr std::string_view kPrefix = "127.255.255.";
  unsigned last = 0;
  if (text.substr(0, kPrefix.size()) == kPrefix) {
    const char* begin = text.data() + kPrefix.size();
    auto [end, ec] = std::from_chars(begin, text.data() + text.size(), last);
    if (ec == std::errc {} && end == text.data() + text.size() && last >= 1 && last <= 255)
      return static_cast<std::uint8_t>(last);
  }
  throw ConfigError("invalid --key-refusal '" + std::string(text) + "': refused or 127.255.255.1-255");
}

void applyKeyedZones(
    const std::vector<std::string>& zones, const std::string& keyFile, RuntimeConfig& runtime)
{
  for (const std::string& zone : zones) {
    std::string lower = listing::zoneName(zone);
    if (lower.empty())
      throw ConfigError("invalid --keyed-zone '" + zone + "': empty");
    if (std::find(runtime.keyedZones.begin(), runtime.keyedZones.end(), lower) == runtime.keyedZones.end())
      runtime.keyedZones.push_back(lower);
  }
  if (runtime.keyedZones.size() > 64)
    throw ConfigError("--keyed-zone: at most 64 keyed zones");
  runtime.keyFile = keyFile;
  if (!runtime.keyFile.empty() || runtime.keyedZones.empty())
    return;
  // Beside the data, as an operator looks for it: the directory of the first keyed zone's first file.
  for (const zone::ZoneSpec& spec : runtime.zones)
    if (spec.zone == runtime.keyedZones.front() && !spec.files.empty()) {
      auto slash = spec.files.front().rfind('/');
      runtime.keyFile = (slash == std::string::npos ? std::string() : spec.files.front().substr(0, slash + 1))
          + "access.keys";
      return;
    }
}

} // namespace shun::config
