#include "shun/listing/ip_text.hpp"
#include "zone/dataset_loader.hpp"
#include "zone/text.hpp"

namespace shun::zone {
namespace {

// After an IPv4 key: nothing, a blank, a value (':') or a comment.
bool keyEndsCleanly(std::string_view rest)
{
  return rest.empty() || isBlank(rest.front()) || rest.front() == ':' || rest.front() == '#'
      || rest.front() == ';';
}

std::string badKey(const char* reason, std::string_view key)
{
  return std::string(reason) + " \"" + std::string(key) + "\"";
}

} // namespace

store::Value aclKeywordValue(store::AclAction action)
{
  static constexpr const char* kNames[] = { "ignore", "refuse", "empty", "pass", "always" };
  store::Value value;
  value.a = 0;
  value.txt = kNames[static_cast<int>(action)];
  return value;
}

bool DatasetLoader::checkMaxRange(std::uint64_t addresses, std::uint32_t number)
{
  if (addresses <= d_maxRange4)
    return true;
  report(number,
      "range too large (" + std::to_string(addresses) + " addresses, $MAXRANGE4 allows "
          + std::to_string(d_maxRange4) + ")");
  return false;
}

// ip4set and ip4trie lines. Nearly all keys are a plain "a.b.c.d" or "a.b.c.d/len": read in one pass, they
// skip the key's split and second parse; every other key, good or bad, takes the general way.
void DatasetLoader::ip4Entry(std::string_view line, bool exclusion, std::uint32_t number)
{
  store::Ip4 first = 0;
  unsigned length = 0;
  bool set = d_dataset.type == store::DatasetType::Ip4Set;
  if (std::size_t keyLength = listing::readQuadKey(line, d_options.acceptHostBits, first, length)) {
    std::string_view rest(line.data() + keyLength, line.size() - keyLength);
    if (set)
      addIp4Range(first, listing::ip4Last(first, length), rest, exclusion, number);
    else
      addIp4Prefix(first, length, rest, exclusion, number);
    return;
  }
  std::size_t keyLength = listing::ip4KeyLength(line);
  std::string_view key = line.substr(0, keyLength), rest = line.substr(keyLength);
  if (set)
    ip4SetEntry(key, rest, exclusion, number);
  else
    ip4TrieEntry(key, rest, exclusion, number);
}

void DatasetLoader::ip4SetEntry(
    std::string_view key, std::string_view rest, bool exclusion, std::uint32_t number)
{
  listing::Ip4Range range;
  const char* error = keyEndsCleanly(rest) ? listing::parseIp4SetKey(key, d_options.acceptHostBits, range)
                                           : "invalid address";
  if (error) {
    report(number, badKey(error, key.empty() ? rest.substr(0, rest.find_first_of(" \t")) : key));
    return;
  }
  addIp4Range(range.first, range.last, rest, exclusion, number);
}

// An ip4set entry whose key was read: stored as the octet-aligned blocks rbldnsd's ip4set keeps.
void DatasetLoader::addIp4Range(
    store::Ip4 first, store::Ip4 last, std::string_view rest, bool exclusion, std::uint32_t number)
{
  if (!checkMaxRange(std::uint64_t { last } - first + 1, number))
    return;
  store::ValueId value = 0;
  if (!exclusion && !entryValue(rest, number, value))
    return;
  std::uint32_t from = origin(number);
  if (first == last) {
    d_ip4->add(first, last, 32, value, exclusion, from);
    return;
  }
  listing::forEachOctetBlock(first, last, [&](store::Ip4 blockFirst, store::Ip4 blockLast, unsigned level) {
    d_ip4->add(blockFirst, blockLast, static_cast<std::uint8_t>(level), value, exclusion, from);
  });
}

void DatasetLoader::ip4TrieEntry(
    std::string_view key, std::string_view rest, bool exclusion, std::uint32_t number)
{
  store::Ip4 first = 0;
  unsigned length = 0;
  const char* error = keyEndsCleanly(rest)
      ? listing::parseIp4Cidr(key, d_options.acceptHostBits, first, length)
      : "invalid address";
  if (error) {
    report(number, badKey(error, key.empty() ? rest.substr(0, rest.find_first_of(" \t")) : key));
    return;
  }
  addIp4Prefix(first, length, rest, exclusion, number);
}

void DatasetLoader::addIp4Prefix(
    store::Ip4 first, unsigned length, std::string_view rest, bool exclusion, std::uint32_t number)
{
  if (!checkMaxRange(std::uint64_t { 1 } << (32 - length), number))
    return;
  store::ValueId value = 0;
  if (!exclusion && !entryValue(rest, number, value))
    return;
  d_ip4->add(first, listing::ip4Last(first, length), static_cast<std::uint8_t>(length), value, exclusion,
      origin(number));
}

void DatasetLoader::ip4TSetEntry(std::string_view key, bool exclusion, std::uint32_t number)
{
  store::Ip4 first = 0;
  unsigned length = 0;
  if (exclusion) {
    report(number, "invalid entry: ip4tset has no exclusions");
    return;
  }
  if (key.find('/') != std::string_view::npos || listing::parseIp4Cidr(key, false, first, length)
      || length != 32) {
    report(number, badKey("invalid address (ip4tset wants a full dotted quad)", key));
    return;
  }
  d_deferred.push_back({ first, first, 32, false, takeListing(), origin(number) });
}

void DatasetLoader::ip6TrieEntry(
    std::string_view key, std::string_view rest, bool exclusion, std::uint32_t number)
{
  listing::Ip6Prefix prefix;
  if (const char* error = listing::parseIp6Cidr(key, d_options.acceptHostBits, prefix)) {
    report(number, badKey(error, key));
    return;
  }
  store::ValueId value = 0;
  if (!exclusion && !entryValue(rest, number, value))
    return;
  d_ip6.add(prefix.first, listing::ip6Last(prefix.first, prefix.length),
      static_cast<std::uint8_t>(prefix.length), value, exclusion, origin(number));
}

void DatasetLoader::ip6TSetEntry(std::string_view key, bool exclusion, std::uint32_t number)
{
  store::Ip6 first = 0;
  const char* error = exclusion ? listing::parseIp6Address(key, first) : listing::parseIp6Slash64(key, first);
  if (error) {
    report(number, badKey(error, key));
    return;
  }
  unsigned length = exclusion ? 128 : 64;
  std::uint32_t listing = takeListing();
  if (!listing) { // most entries: streamed into the map, with a stand-in for the value the files end with
    d_ip6.add(first, listing::ip6Last(first, length), static_cast<std::uint8_t>(length), kTSetValue,
        exclusion, origin(number));
    d_tsetStreamed |= !exclusion;
    return;
  }
  d_deferred.push_back({ first, listing::ip6Last(first, length), static_cast<std::uint8_t>(length), exclusion,
      listing, origin(number) });
}

// ":ignore", ":blackhole", ":refuse", ":empty", ":pass" (or with '='), else an "always listed" A/TXT.
bool DatasetLoader::aclValue(std::string_view text, store::Value& value)
{
  text = skipBlanks(text);
  if (text.empty() || text.front() == '#' || text.front() == ';')
    return true;
  if (text.front() == ':' || text.front() == '=') {
    std::string_view word = text.substr(1);
    word = word.substr(0, word.find_first_of(" \t"));
    static constexpr std::pair<std::string_view, store::AclAction> kKeywords[]
        = { { "ignore", store::AclAction::Ignore }, { "blackhole", store::AclAction::Ignore },
            { "refuse", store::AclAction::Refuse }, { "empty", store::AclAction::Empty },
            { "pass", store::AclAction::Pass } };
    for (const auto& [name, action] : kKeywords)
      if (word == name) {
        value = aclKeywordValue(action);
        return true;
      }
    if (text.front() == '=')
      return false;
  }
  if (value.a == 0)
    value = store::Value {}; // an "always" value starts from 127.0.0.2, not from a keyword
  return parseValueText(text, value) == ValueParse::Ok;
}

void DatasetLoader::aclEntry(std::string_view line, bool exclusion, std::uint32_t number)
{
  std::size_t keyLength = listing::ip4KeyLength(line);
  std::string_view ip4Key = line.substr(0, keyLength);
  bool v6 = keyLength < line.size() && line[keyLength] != ' ' && line[keyLength] != '\t'
      && ip4Key.find_first_of("./") == std::string_view::npos; // "2001:db8::/32", "::1", "fe80::"
  if (v6) {
    ip6TrieEntry(line.substr(0, listing::ip6KeyLength(line)), line.substr(listing::ip6KeyLength(line)),
        exclusion, number);
    return;
  }
  ip4TrieEntry(ip4Key, line.substr(keyLength), exclusion, number);
}

} // namespace shun::zone
