// xfr-allow and xfr-key values sorted into the server-wide defaults and each zone's own (shund(8)).
#include "shun/config/config.hpp"
#include "shun/listing/key.hpp"

#include <algorithm>
#include <sstream>

namespace shun::config {
namespace {

std::vector<std::string> words(const std::string& text)
{
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string word; in >> word;)
    out.push_back(word);
  return out;
}

bool isAlgorithm(std::string word)
{
  std::transform(word.begin(), word.end(), word.begin(), [](unsigned char c) { return std::tolower(c); });
  return word == "hmac-sha256" || word == "hmac-sha512" || word == "hmac-sha256." || word == "hmac-sha512.";
}

// The rest of text after its first word and the blanks that follow (a secret file's path may hold blanks).
std::string afterFirstWord(const std::string& text)
{
  auto start = text.find_first_not_of(" \t");
  auto space = text.find_first_of(" \t", start);
  auto rest = text.find_first_not_of(" \t", space);
  return rest == std::string::npos ? std::string() : text.substr(rest);
}

} // namespace

void applyXfrAccess(
    const std::vector<std::string>& allow, const std::vector<std::string>& keys, xfr::Settings& settings)
{
  for (const std::string& value : allow) {
    auto parts = words(value);
    if (parts.size() == 1)
      settings.allow.push_back(parts[0]);
    else if (parts.size() == 2)
      settings.zones[listing::zoneName(parts[0])].allow.push_back(parts[1]);
    else
      throw ConfigError("invalid --xfr-allow '" + value + "': expected addr[/len] or 'zone addr[/len]'");
  }
  for (const std::string& value : keys) {
    auto parts = words(value);
    if (parts.size() >= 3 && isAlgorithm(parts[1]))
      settings.keys.push_back(value);
    else if (parts.size() >= 4 && isAlgorithm(parts[2]))
      settings.zones[listing::zoneName(parts[0])].keys.push_back(afterFirstWord(value));
    else
      throw ConfigError("invalid --xfr-key '" + value
          + "': expected 'name algorithm secret-file' or 'zone name algorithm secret-file' (hmac-sha256, "
            "hmac-sha512)");
  }
}

void checkXfrZones(const Config& config)
{
  auto served = [&](const std::string& zone) {
    return std::any_of(config.runtime.zones.begin(), config.runtime.zones.end(),
        [&](const zone::ZoneSpec& spec) { return spec.zone == zone; });
  };
  for (const auto& [zone, access] : config.server.xfr.zones)
    if (!served(zone))
      throw ConfigError("--xfr-allow or --xfr-key names zone '" + zone + "', which is not served");
  for (const std::string& target : config.server.xfr.notify) {
    auto parts = words(target);
    if (!parts.empty() && !served(listing::zoneName(parts[0])))
      throw ConfigError("--notify '" + target + "' names a zone that is not served");
  }
}

} // namespace shun::config
