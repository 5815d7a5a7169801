#include "xfr/access.hpp"

#include <arpa/inet.h>
#include <cstring>
#include <netinet/in.h>
#include <stdexcept>
#include <sys/stat.h>

namespace shun::xfr {
namespace {

Range parseRange(const std::string& text)
{
  Range range;
  auto slash = text.find('/');
  std::string address = text.substr(0, slash);
  range.family = address.find(':') == std::string::npos ? AF_INET : AF_INET6;
  unsigned bits = range.family == AF_INET ? 32 : 128;
  range.prefixLength = bits;
  if (inet_pton(range.family, address.c_str(), range.address) != 1)
    throw std::invalid_argument("xfr-allow: bad address '" + text + "'");
  if (slash != std::string::npos) {
    std::string length = text.substr(slash + 1);
    if (length.empty() || length.size() > 3 || length.find_first_not_of("0123456789") != std::string::npos
        || std::stoul(length) > bits)
      throw std::invalid_argument("xfr-allow: bad prefix length in '" + text + "'");
    range.prefixLength = static_cast<unsigned>(std::stoul(length));
  }
  return range;
}

bool rangeHolds(const Range& range, int family, const std::uint8_t* address)
{
  if (range.family != family)
    return false;
  unsigned whole = range.prefixLength / 8, rest = range.prefixLength % 8;
  if (std::memcmp(range.address, address, whole) != 0)
    return false;
  auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
  return rest == 0 || (range.address[whole] & mask) == (address[whole] & mask);
}

ZoneRules parseRules(const std::vector<std::string>& allow, const std::vector<std::string>& keys)
{
  ZoneRules rules;
  for (const std::string& text : allow)
    rules.allow.push_back(parseRange(text));
  for (const std::string& spec : keys)
    rules.keys.push_back(loadTsigKey(spec));
  return rules;
}

} // namespace

bool ZoneRules::allows(const sockaddr* client) const noexcept
{
  const std::uint8_t* address = nullptr;
  if (client->sa_family == AF_INET)
    address = reinterpret_cast<const std::uint8_t*>(&reinterpret_cast<const sockaddr_in*>(client)->sin_addr);
  else if (client->sa_family == AF_INET6)
    address = reinterpret_cast<const sockaddr_in6*>(client)->sin6_addr.s6_addr;
  for (const Range& range : allow)
    if (address && rangeHolds(range, client->sa_family, address))
      return true;
  return false;
}

std::string wireZoneName(const std::string& text)
{
  std::string wire;
  std::size_t start = 0;
  while (start < text.size()) {
    auto dot = std::min(text.find('.', start), text.size());
    if (dot == start || dot - start > 63)
      throw std::invalid_argument("bad zone name '" + text + "'");
    wire.push_back(static_cast<char>(dot - start));
    for (std::size_t i = start; i < dot; ++i)
      wire.push_back(text[i] >= 'A' && text[i] <= 'Z' ? static_cast<char>(text[i] + 32) : text[i]);
    start = dot + 1;
  }
  wire.push_back('\0');
  return wire;
}

Access::Access(const Settings& settings)
    : d_default(parseRules(settings.allow, settings.keys))
    , d_anyKeys(!d_default.keys.empty())
    , d_anyAllowed(!d_default.allow.empty())
{
  for (const auto& [zone, access] : settings.zones) {
    ZoneRules own = parseRules(access.allow, access.keys);
    if (access.allow.empty())
      own.allow = d_default.allow;
    if (access.keys.empty())
      own.keys = d_default.keys;
    d_anyKeys = d_anyKeys || !own.keys.empty();
    d_anyAllowed = d_anyAllowed || !own.allow.empty();
    d_zones.emplace(wireZoneName(zone), std::move(own));
  }
}

const ZoneRules& Access::rules(std::string_view zone) const noexcept
{
  auto found = d_zones.find(zone);
  return found == d_zones.end() ? d_default : found->second;
}

const ZoneRules& Access::rulesAbove(std::string_view name) const noexcept
{
  for (std::size_t at = 0; at < name.size() && name[at] != 0; at += 1 + static_cast<std::uint8_t>(name[at])) {
    auto found = d_zones.find(name.substr(at));
    if (found != d_zones.end())
      return found->second;
  }
  return d_default;
}

} // namespace shun::xfr
