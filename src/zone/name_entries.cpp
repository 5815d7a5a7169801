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

// What a byte is to nameTextToKey.
enum NameByte : std::uint8_t { kLabelByte, kNameEnd, kDot, kEscape, kBadByte };

struct NameBytes {
  NameByte kind[256] = {};
  constexpr NameBytes()
  {
    for (unsigned byte = 0; byte < 256; ++byte)
      kind[byte] = byte <= ' ' || byte >= 0x7f ? kBadByte : kLabelByte; // printable ASCII only
    kind[static_cast<unsigned char>(' ')] = kind[static_cast<unsigned char>('\t')] = kNameEnd;
    kind[static_cast<unsigned char>(':')] = kNameEnd;
    kind[static_cast<unsigned char>('.')] = kDot;
    kind[static_cast<unsigned char>('\\')] = kEscape;
  }
};
constexpr NameBytes kNameBytes;

// Where a dnset entry's name ends in its line, and its key.
struct NameText {
  std::size_t end; ///< the name's length in the text: up to a blank, ':' or the end
  std::size_t keyLength; ///< 0: a bad name; kBadWireName: a name with escapes (the slow path)
};

// A dnset name straight from its line to the store's key (NameSetBuilder::addKey) in two passes over its
// bytes, without escapes: its labels in reverse order, lower-case, each followed by '\0', checked as
// nameToWire, printableName and hasEmptyLabel together check them.
NameText nameTextToKey(std::string_view text, char* key)
{
  std::uint8_t ends[128]; // where each label ends: a name of at most 253 bytes has at most 127 labels
  std::size_t labels = 0;
  std::size_t start = 0;
  std::size_t i = 0;
  bool bad = false, escaped = false;
  for (; i < text.size(); ++i) {
    NameByte kind = kNameBytes.kind[static_cast<unsigned char>(text[i])];
    if (kind == kLabelByte)
      continue;
    if (kind == kNameEnd)
      break;
    if (kind == kDot) {
      bad |= i == start || i - start > 63 || i > 253;
      if (!bad)
        ends[labels++] = static_cast<std::uint8_t>(i);
      start = i + 1;
    }
    escaped |= kind == kEscape;
    bad |= kind == kBadByte;
  }
  if (escaped)
    return { i, kBadWireName };
  if (start < i) { // the last label, unless the name ended with the root's dot
    bad |= i - start > 63 || i > 253;
    if (!bad)
      ends[labels++] = static_cast<std::uint8_t>(i);
  }
  if (bad || labels == 0)
    return { i, 0 };
  std::size_t length = 0;
  for (std::size_t label = labels; label-- > 0;) {
    for (std::size_t at = label == 0 ? 0 : ends[label - 1] + 1u; at < ends[label]; ++at) {
      char c = text[at];
      key[length++] = c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
    }
    key[length++] = '\0';
  }
  return { i, length };
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
  bool wildcard = line.substr(0, 2) == "*.";
  bool both = !wildcard && !line.empty() && line.front() == '.';
  std::size_t skip = wildcard ? 2 : both ? 1 : 0;
  char bytes[kMaxWireName];
  auto [nameLength, length] = nameTextToKey(line.substr(skip), bytes);
  std::string_view key = line.substr(0, skip + nameLength);
  std::string_view rest = line.substr(skip + nameLength);
  bool escaped = length == kBadWireName;
  if (escaped) { // the slow path: escapes decoded into wire form
    std::string_view name = key.substr(skip);
    length = nameToWire(name, bytes);
    if (length != kBadWireName && (length == 0 || !printableName({ bytes, length }) || hasEmptyLabel(name)))
      length = kBadWireName;
  }
  if (length == 0 || length == kBadWireName) {
    report(number, "invalid domain name \"" + std::string(key) + "\"");
    return;
  }
  store::ValueId value = 0;
  if (!exclusion && !entryValue(rest, number, value))
    return;
  if (!escaped) {
    d_names.addKey({ bytes, length }, !wildcard, wildcard || both, value, exclusion);
    return;
  }
  if (!wildcard)
    d_names.add({ bytes, length }, store::NameMatch::Exact, value, exclusion);
  if (wildcard || both)
    d_names.add({ bytes, length }, store::NameMatch::Subdomains, value, exclusion);
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
