#include "shun/listing/ip_text.hpp"
#include "shun/listing/listing.hpp"
#include "zone/dataset_loader.hpp"
#include "zone/text.hpp"

#include <algorithm>

namespace shun::zone {
namespace {

bool equalsNoCase(std::string_view a, std::string_view b)
{
  return a.size() == b.size()
      && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return (x | 0x20) == (y | 0x20); });
}

// Label bytes a dnset takes: printable ASCII (a name in a list is a host name or an IDN's xn-- form).
bool printableName(std::string_view wire)
{
  for (std::size_t pos = 0; pos < wire.size(); pos += 1 + static_cast<unsigned char>(wire[pos]))
    for (std::size_t i = 1; i <= static_cast<unsigned char>(wire[pos]); ++i)
      if (wire[pos + i] <= ' ' || wire[pos + i] >= 0x7f)
        return false;
  return true;
}

// "a..b" or ".a": an empty label other than the root's (one trailing dot is fine).
bool hasEmptyLabel(std::string_view name)
{
  return name.empty() || name.front() == '.' || name.find("..") != std::string_view::npos;
}

void appendUint16(std::string& out, std::uint32_t value)
{
  out.push_back(static_cast<char>(value >> 8));
  out.push_back(static_cast<char>(value));
}

// RDATA of one generic record, or the reason it is bad.
const char* genericRdata(std::uint16_t type, std::string_view data, std::string& rdata, bool& cut)
{
  if (type == 1) { // A: inet_aton, as rbldnsd ("10" = 0.0.0.10)
    auto address = parseInetAton(data);
    if (!address || data.find_first_of(" \t") != std::string_view::npos)
      return "invalid A record address";
    for (int shift = 24; shift >= 0; shift -= 8)
      rdata.push_back(static_cast<char>(*address >> shift));
  } else if (type == 16) { // TXT: the rest of the line, quotes stripped only when at both ends
    if (data.size() >= 2 && data.front() == '"' && data.back() == '"')
      data = data.substr(1, data.size() - 2);
    cut = data.size() > 255;
    data = data.substr(0, 255);
    rdata.push_back(static_cast<char>(data.size()));
    rdata.append(data);
  } else if (type == 15) { // MX: preference and an absolute target
    auto preference = parseNumber(nextWord(data));
    auto target = nameToWire(nextWord(data));
    if (!preference || *preference > 65535 || !target || target->empty() || !data.empty())
      return "invalid MX record";
    appendUint16(rdata, *preference);
    rdata += *target;
    rdata.push_back('\0');
  } else { // AAAA (an addition to rbldnsd)
    store::Ip6 address = 0;
    if (listing::parseIp6Address(data, address))
      return "invalid AAAA record address";
    for (int shift = 120; shift >= 0; shift -= 8)
      rdata.push_back(static_cast<char>(address >> shift));
  }
  return nullptr;
}

} // namespace

void DatasetLoader::dnsetEntry(std::string_view line, bool exclusion, std::uint32_t number)
{
  std::size_t keyLength = 0;
  while (
      keyLength < line.size() && line[keyLength] != ' ' && line[keyLength] != '\t' && line[keyLength] != ':')
    ++keyLength;
  std::string_view key = line.substr(0, keyLength);
  std::string_view rest = line.substr(keyLength);
  bool wildcard = key.substr(0, 2) == "*.";
  bool both = !wildcard && !key.empty() && key.front() == '.';
  std::string_view name = key.substr(wildcard ? 2 : both ? 1 : 0);
  char wire[kMaxWireName];
  std::size_t length = nameToWire(name, wire);
  if (length == kBadWireName || length == 0 || !printableName({ wire, length }) || hasEmptyLabel(name)) {
    report(number, "invalid domain name \"" + std::string(key) + "\"");
    return;
  }
  store::ValueId value = 0;
  if (!exclusion && !entryValue(rest, number, value))
    return;
  if (!wildcard)
    d_names.add({ wire, length }, store::NameMatch::Exact, value, exclusion);
  if (wildcard || both)
    d_names.add({ wire, length }, store::NameMatch::Subdomains, value, exclusion);
}

void DatasetLoader::genericEntry(std::string_view line, std::uint32_t number)
{
  std::string_view rest = line;
  std::string_view owner = nextWord(rest);
  std::optional<std::string> name = owner == "@" ? std::optional<std::string>("") : nameToWire(owner);
  if (!name) {
    report(number, "invalid domain name \"" + std::string(owner) + "\"");
    return;
  }
  std::string_view word = nextWord(rest);
  std::optional<std::uint32_t> ttl;
  if (!word.empty() && word.front() >= '0' && word.front() <= '9') {
    ttl = listing::parseDuration(word);
    if (!ttl) {
      report(number, "invalid TTL \"" + std::string(word) + "\"");
      return;
    }
    word = nextWord(rest);
  }
  if (equalsNoCase(word, "IN"))
    word = nextWord(rest);
  static constexpr std::pair<std::string_view, std::uint16_t> kTypes[]
      = { { "A", 1 }, { "TXT", 16 }, { "MX", 15 }, { "AAAA", 28 } };
  std::uint16_t type = 0;
  for (const auto& [typeName, code] : kTypes)
    if (equalsNoCase(word, typeName))
      type = code;
  if (!type) {
    report(number, "unsupported record type \"" + std::string(word) + "\" (generic knows A, TXT, MX, AAAA)");
    return;
  }
  store::GenericRecord record;
  bool cut = false;
  if (const char* error = genericRdata(type, rest, record.rdata, cut)) {
    report(number, std::string(error) + " \"" + std::string(rest) + "\"");
    return;
  }
  if (cut)
    report(number, "TXT record cut to 255 bytes", false);
  record.name = std::move(*name);
  record.type = type;
  record.ttl = ttl ? clampTtl(*ttl) : d_ttlSeen ? d_genericTtl : 0; // $TTL is captured per record here
  d_records.push_back(std::move(record));
}

} // namespace shun::zone
