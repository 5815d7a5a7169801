#include "admin/zone_target.hpp"

#include "shun/zone/load.hpp"

#include <fstream>
#include <regex>
#include <stdexcept>

namespace shun::admin {
namespace {

// Zone specs from "zone = spec" / "zone = [\"spec\", ...]" lines (the INI/TOML form CLI11 writes).
std::vector<std::string> specsFromConfig(const std::string& configFile)
{
  std::ifstream in(configFile);
  if (!in)
    throw std::invalid_argument("cannot read configuration " + configFile + " (use --config or --zone-spec)");
  std::vector<std::string> specs;
  static const std::regex line(R"(^\s*zones?\s*=\s*(.*)$)");
  static const std::regex item(R"re("([^"]*)"|([^\s",\[\]]+:[^\s",\[\]]+))re");
  for (std::string text; std::getline(in, text);) {
    std::smatch match;
    if (!std::regex_match(text, match, line))
      continue;
    std::string values = match[1];
    for (std::sregex_iterator it(values.begin(), values.end(), item), end; it != end; ++it)
      specs.push_back((*it)[1].matched ? (*it)[1].str() : (*it)[2].str());
  }
  return specs;
}

} // namespace

std::optional<store::DatasetType> datasetTypeFromName(const std::string& name)
{
  using store::DatasetType;
  static const std::pair<const char*, DatasetType> kTypes[]
      = { { "ip4set", DatasetType::Ip4Set }, { "ip4tset", DatasetType::Ip4TSet },
          { "ip4trie", DatasetType::Ip4Trie }, { "ip6trie", DatasetType::Ip6Trie },
          { "ip6tset", DatasetType::Ip6TSet }, { "dnset", DatasetType::DnSet } };
  for (auto [text, type] : kTypes)
    if (name == text)
      return type;
  return std::nullopt;
}

ZoneTarget resolveZoneTarget(
    const std::string& zone, const std::vector<std::string>& zoneSpecs, const std::string& configFile)
{
  std::vector<std::string> specs = zoneSpecs.empty() ? specsFromConfig(configFile) : zoneSpecs;
  std::string wanted = zone;
  if (!wanted.empty() && wanted.back() == '.')
    wanted.pop_back();
  std::string known;
  for (const std::string& text : specs) {
    zone::ZoneSpec spec = zone::parseZoneSpec(text);
    known += (known.empty() ? "" : ", ") + spec.zone;
    auto type = datasetTypeFromName(spec.type);
    if (spec.zone == wanted && type && !spec.files.empty())
      return { spec.zone, spec.files.front(), *type };
  }
  throw std::invalid_argument("unknown zone " + zone
      + " (zones with an IP or name dataset: " + (known.empty() ? "none" : known) + ")");
}

} // namespace shun::admin
