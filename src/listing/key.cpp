#include "shun/listing/key.hpp"

#include <algorithm>

namespace shun::listing {
namespace {

constexpr std::string_view kHostBits = "invalid range (non-zero host part)";

bool isDigits(std::string_view text)
{
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<Key> parseIp(std::string_view text, bool ip6, std::string& error)
{
  std::string_view address = text.substr(0, text.find('/'));
  Key key;
  key.family = ip6 ? Key::Family::Ip6 : Key::Family::Ip4;
  const char* problem = nullptr;
  if (ip6) {
    Ip6Prefix prefix;
    problem = parseIp6Cidr(text, false, prefix);
    if (!problem && address.size() == text.size() && prefix.length != 128)
      problem = "short"; // "2001:db8" is a /32 in a zone file, but not a full address
    key.length = prefix.length;
    key.v6First = prefix.first;
    key.v6Last = ip6Last(prefix.first, prefix.length);
  } else {
    problem = std::count(address.begin(), address.end(), '.') != 3
        ? "short"
        : parseIp4Cidr(text, false, key.v4First, key.length);
    key.v4Last = ip4Last(key.v4First, key.length);
  }
  if (problem) {
    error = problem == kHostBits
        ? "host bits set in " + std::string(text)
        : std::string(ip6 ? "not an IPv6 address: " : "not an IPv4 address: ") + std::string(address);
    return std::nullopt;
  }
  unsigned full = ip6 ? 128 : 32;
  key.text = ip6 ? formatIp6(key.v6First) : formatIp4(key.v4First);
  if (key.length != full)
    key.text += "/" + std::to_string(key.length);
  return key;
}

std::optional<Key> parseName(std::string_view text, bool wildcards, std::string& error)
{
  Key key;
  key.family = Key::Family::Name;
  std::string_view name = text;
  if (wildcards && name.substr(0, 2) == "*.") {
    key.wildcard = true;
    key.includesApex = false;
    name.remove_prefix(2);
  } else if (wildcards && name.substr(0, 1) == ".") {
    key.wildcard = true;
    name.remove_prefix(1);
  }
  if (!name.empty() && name.back() == '.')
    name.remove_suffix(1);
  key.name = std::string(name);
  std::transform(key.name.begin(), key.name.end(), key.name.begin(), [](unsigned char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c);
  });
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

std::optional<Key> parseUnmarked(std::string_view text, std::string& error, KeyForms forms)
{
  auto slash = text.find('/');
  std::string_view address = text.substr(0, slash);
  bool ip6 = address.find(':') != std::string_view::npos;
  bool ip4 = !ip6 && !address.empty() && std::all_of(address.begin(), address.end(), [](char c) {
    return (c >= '0' && c <= '9') || c == '.';
  });
  if (slash != std::string_view::npos && (!forms.prefixes || !(ip4 || ip6))) {
    error = std::string(forms.prefixes ? "not an address, CIDR or domain name: " : "not a single address: ")
        + std::string(text);
    return std::nullopt;
  }
  if (!ip4 && !ip6)
    return parseName(text, forms.wildcards, error);
  if (slash != std::string_view::npos) {
    std::string_view length = text.substr(slash + 1);
    if (!isDigits(length) || length.size() > 3 || std::stoul(std::string(length)) > (ip6 ? 128u : 32u)) {
      error = "bad prefix length in " + std::string(text);
      return std::nullopt;
    }
  }
  return parseIp(text, ip6, error);
}

} // namespace

std::string zoneName(std::string name)
{
  for (char& c : name)
    c = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  while (!name.empty() && name.back() == '.')
    name.pop_back();
  return name;
}

bool validName(std::string_view name)
{
  if (name.empty() || name.size() > 253)
    return false;
  std::size_t label = 0;
  for (char c : name) {
    bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (c == '.') {
      if (label == 0)
        return false;
      label = 0;
    } else if (alnum || c == '-' || c == '_') {
      if (++label > 63)
        return false;
    } else {
      return false;
    }
  }
  return label > 0;
}

std::optional<Key> parseKey(std::string_view text, std::string& error, KeyForms forms)
{
  bool exclusion = !text.empty() && text.front() == '!';
  if (exclusion && !forms.exclusions) {
    error = "an exclusion is not allowed here: " + std::string(text);
    return std::nullopt;
  }
  if (exclusion)
    text.remove_prefix(1);
  if (text.empty()) {
    error = "empty key";
    return std::nullopt;
  }
  auto key = parseUnmarked(text, error, forms);
  if (key && exclusion) {
    key->exclusion = true;
    key->text.insert(0, 1, '!');
  }
  return key;
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

} // namespace shun::listing
