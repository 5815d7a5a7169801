#include "admin/key.hpp"

#include <cstdio>

namespace shun::admin {

bool fitsDataset(const listing::Key& key, store::DatasetType type, std::string& error)
{
  using store::DatasetType;
  bool fits = false;
  switch (key.family) {
  case listing::Key::Family::Ip4:
    fits = type == DatasetType::Ip4Set || type == DatasetType::Ip4Trie
        || (type == DatasetType::Ip4TSet && key.v4First == key.v4Last);
    break;
  case listing::Key::Family::Ip6:
    fits = type == DatasetType::Ip6Trie
        || (type == DatasetType::Ip6TSet && key.v6Last - key.v6First == (~store::Ip6 {} >> 64));
    break;
  case listing::Key::Family::Name:
    fits = type == DatasetType::DnSet;
    break;
  }
  // rbldnsd's exclusions: none in ip4tset, only single addresses in ip6tset (its /128 exclusion array).
  if (key.exclusion && type == DatasetType::Ip4TSet)
    fits = false;
  if (key.exclusion && type == DatasetType::Ip6TSet)
    fits = key.v6First == key.v6Last;
  if (!fits)
    error = "key " + key.text + " does not fit this zone's dataset type";
  return fits;
}

std::string zoneSpelling(const listing::Key& key, store::DatasetType type)
{
  if (key.family == listing::Key::Family::Ip6 && type == store::DatasetType::Ip6TSet && !key.exclusion) {
    char text[40];
    auto high = static_cast<std::uint64_t>(key.v6First >> 64);
    std::snprintf(text, sizeof text, "%x:%x:%x:%x", static_cast<unsigned>(high >> 48),
        static_cast<unsigned>((high >> 32) & 0xffff), static_cast<unsigned>((high >> 16) & 0xffff),
        static_cast<unsigned>(high & 0xffff));
    return text;
  }
  return key.text;
}

namespace {

// Every prefix of key up to its own length (IPv4 in the low bits), as the key grammar spells it.
std::vector<std::string> prefixTexts(const listing::Key& key)
{
  std::vector<std::string> out;
  bool ip6 = key.family == listing::Key::Family::Ip6;
  unsigned full = ip6 ? 128 : 32;
  for (unsigned length = 0; length <= key.length; ++length) {
    std::string text;
    if (ip6) {
      listing::Ip6Bits mask = length ? ~listing::Ip6Bits {} << (128 - length) : 0;
      text = listing::formatIp6(key.v6First & mask);
    } else {
      listing::Ip4Bits mask = length ? ~listing::Ip4Bits {} << (32 - length) : 0;
      text = listing::formatIp4(key.v4First & mask);
    }
    out.push_back(text + "/" + std::to_string(length));
    if (length == full)
      out.push_back(text);
  }
  return out;
}

// The name and each ancestor's wildcard forms: "a.b.c": a.b.c, .a.b.c, *.b.c, .b.c, *.c, .c.
std::vector<std::string> nameTexts(const listing::Key& key)
{
  std::vector<std::string> out { key.name, "." + key.name };
  for (auto dot = key.name.find('.'); dot != std::string::npos; dot = key.name.find('.', dot + 1)) {
    std::string parent = key.name.substr(dot + 1);
    out.push_back("*." + parent);
    out.push_back("." + parent);
  }
  return out;
}

} // namespace

std::vector<std::string> coveringSpellings(const listing::Key& key, store::DatasetType type)
{
  constexpr listing::KeyForms kAll { true, true, true };
  std::vector<std::string> out;
  for (const std::string& text : key.family == listing::Key::Family::Name ? nameTexts(key) : prefixTexts(key))
    for (const std::string& spelled : { text, "!" + text }) {
      std::string error;
      auto parsed = listing::parseKey(spelled, error, kAll);
      out.push_back(spelled);
      if (parsed) {
        out.push_back(parsed->text);
        out.push_back(zoneSpelling(*parsed, type));
      }
    }
  return out;
}

} // namespace shun::admin
