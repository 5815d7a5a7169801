#include "admin/key.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <charconv>
#include <cstring>

namespace shun::admin {
namespace {

std::optional<unsigned> parsePrefixLength(std::string_view text, unsigned maximum)
{
  unsigned length = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), length);
  if (ec != std::errc() || end != text.data() + text.size() || length > maximum)
    return std::nullopt;
  return length;
}

std::optional<Key> parseIp4(std::string_view address, std::optional<unsigned> length, std::string& error)
{
  in_addr parsed {};
  if (inet_pton(AF_INET, std::string(address).c_str(), &parsed) != 1) {
    error = "not an IPv4 address: " + std::string(address);
    return std::nullopt;
  }
  Key key;
  key.family = Key::Family::Ip4;
  unsigned bits = length.value_or(32);
  store::Ip4 ip = ntohl(parsed.s_addr);
  store::Ip4 hostMask = bits == 32 ? 0 : (~store::Ip4 {} >> bits);
  if (ip & hostMask) {
    error = "host bits set in " + std::string(address) + "/" + std::to_string(bits);
    return std::nullopt;
  }
  key.v4First = ip;
  key.v4Last = ip | hostMask;
  char text[INET_ADDRSTRLEN];
  inet_ntop(AF_INET, &parsed, text, sizeof text);
  key.text = bits == 32 ? text : std::string(text) + "/" + std::to_string(bits);
  return key;
}

std::optional<Key> parseIp6(std::string_view address, std::optional<unsigned> length, std::string& error)
{
  in6_addr parsed {};
  if (inet_pton(AF_INET6, std::string(address).c_str(), &parsed) != 1) {
    error = "not an IPv6 address: " + std::string(address);
    return std::nullopt;
  }
  Key key;
  key.family = Key::Family::Ip6;
  unsigned bits = length.value_or(128);
  store::Ip6 ip = 0;
  for (unsigned char byte : parsed.s6_addr)
    ip = (ip << 8) | byte;
  store::Ip6 hostMask = bits == 128 ? 0 : (~store::Ip6 {} >> bits);
  if (ip & hostMask) {
    error = "host bits set in " + std::string(address) + "/" + std::to_string(bits);
    return std::nullopt;
  }
  key.v6First = ip;
  key.v6Last = ip | hostMask;
  char text[INET6_ADDRSTRLEN];
  inet_ntop(AF_INET6, &parsed, text, sizeof text);
  key.text = std::string(text) + "/" + std::to_string(bits);
  return key;
}

std::optional<Key> parseName(std::string_view text, std::string& error)
{
  Key key;
  key.family = Key::Family::Name;
  std::string_view name = text;
  if (name.substr(0, 2) == "*.") {
    key.wildcard = true;
    key.includesApex = false;
    name.remove_prefix(2);
  } else if (name.substr(0, 1) == ".") {
    key.wildcard = true;
    name.remove_prefix(1);
  }
  if (!name.empty() && name.back() == '.')
    name.remove_suffix(1);
  key.name = std::string(name);
  std::transform(key.name.begin(), key.name.end(), key.name.begin(),
      [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (!validName(key.name)) {
    error = "not an address, CIDR or domain name: " + std::string(text);
    return std::nullopt;
  }
  key.text = (key.wildcard ? (key.includesApex ? "." : "*.") : "") + key.name;
  return key;
}

// True if name equals ancestor or lies below it.
bool within(std::string_view name, std::string_view ancestor)
{
  if (name == ancestor)
    return true;
  return name.size() > ancestor.size() && name.substr(name.size() - ancestor.size()) == ancestor
      && name[name.size() - ancestor.size() - 1] == '.';
}

// True if the name key matches the (plain) name.
bool covers(const Key& key, std::string_view name)
{
  if (!key.wildcard)
    return key.name == name;
  return (key.includesApex && key.name == name) || (name != key.name && within(name, key.name));
}

} // namespace

bool validName(std::string_view name)
{
  if (name.empty() || name.size() > 253)
    return false;
  std::size_t label = 0;
  for (char c : name) {
    if (c == '.') {
      if (label == 0)
        return false;
      label = 0;
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') {
      if (++label > 63)
        return false;
    } else {
      return false;
    }
  }
  return label > 0;
}

std::optional<Key> parseKey(std::string_view text, std::string& error)
{
  if (text.empty()) {
    error = "empty key";
    return std::nullopt;
  }
  auto slash = text.find('/');
  std::string_view address = text.substr(0, slash);
  bool ip6 = address.find(':') != std::string_view::npos;
  bool ip4 = !ip6 && !address.empty() && std::all_of(address.begin(), address.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) || c == '.';
  });
  if (!ip4 && !ip6) {
    if (slash != std::string_view::npos) {
      error = "not an address, CIDR or domain name: " + std::string(text);
      return std::nullopt;
    }
    return parseName(text, error);
  }
  std::optional<unsigned> length;
  if (slash != std::string_view::npos) {
    length = parsePrefixLength(text.substr(slash + 1), ip6 ? 128 : 32);
    if (!length) {
      error = "bad prefix length in " + std::string(text);
      return std::nullopt;
    }
  }
  return ip6 ? parseIp6(address, length, error) : parseIp4(address, length, error);
}

bool Key::overlaps(const Key& other) const
{
  if (family != other.family)
    return false;
  switch (family) {
  case Family::Ip4:
    return v4First <= other.v4Last && other.v4First <= v4Last;
  case Family::Ip6:
    return v6First <= other.v6Last && other.v6First <= v6Last;
  case Family::Name:
    if (!wildcard && !other.wildcard)
      return name == other.name;
    if (!wildcard)
      return covers(other, name);
    if (!other.wildcard)
      return covers(*this, other.name);
    return within(name, other.name) || within(other.name, name); // two subtrees meet if nested
  }
  return false;
}

bool fitsDataset(const Key& key, store::DatasetType type, std::string& error)
{
  using store::DatasetType;
  bool fits = false;
  switch (key.family) {
  case Key::Family::Ip4:
    fits = type == DatasetType::Ip4Set || type == DatasetType::Ip4Trie
        || (type == DatasetType::Ip4TSet && key.v4First == key.v4Last);
    break;
  case Key::Family::Ip6:
    fits = type == DatasetType::Ip6Trie
        || (type == DatasetType::Ip6TSet && key.v6Last - key.v6First == (~store::Ip6 {} >> 64));
    break;
  case Key::Family::Name:
    fits = type == DatasetType::DnSet;
    break;
  }
  if (!fits)
    error = "key " + key.text + " does not fit this zone's dataset type";
  return fits;
}

std::string zoneSpelling(const Key& key, store::DatasetType type)
{
  if (key.family == Key::Family::Ip6 && type == store::DatasetType::Ip6TSet) {
    char text[40];
    auto high = static_cast<std::uint64_t>(key.v6First >> 64);
    std::snprintf(text, sizeof text, "%x:%x:%x:%x", static_cast<unsigned>(high >> 48),
        static_cast<unsigned>((high >> 32) & 0xffff), static_cast<unsigned>((high >> 16) & 0xffff),
        static_cast<unsigned>(high & 0xffff));
    return text;
  }
  return key.text;
}

} // namespace shun::admin
