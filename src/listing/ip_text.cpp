#include "shun/listing/ip_text.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <optional>

namespace shun::listing {
namespace {

constexpr const char* kBadAddress = "invalid address";
constexpr const char* kHostBits = "invalid range (non-zero host part)";

// Up to four dotted decimal octets at the start of text; returns the count (0: none) and the length used.
// The loader calls this for every line: the 1-3 digits of an octet are read without a loop.
unsigned readOctets(std::string_view text, std::uint32_t& address, std::size_t& used)
{
  auto digit = [&](std::size_t at) -> unsigned {
    return at < text.size() ? static_cast<unsigned char>(text[at] - '0') : 10; // > 9: not a digit
  };
  std::uint32_t octets = 0;
  unsigned count = 0;
  std::size_t pos = 0;
  for (;;) {
    unsigned value = digit(pos);
    if (value > 9)
      return 0;
    std::size_t digits = 1;
    if (unsigned next = digit(pos + 1); next <= 9) {
      value = value * 10 + next;
      digits = 2;
      if (next = digit(pos + 2); next <= 9) {
        value = value * 10 + next;
        digits = 3;
      }
    }
    if (value > 255 || digit(pos + digits) <= 9) // "256", "1234"
      return 0;
    octets = octets << 8 | value;
    pos += digits;
    if (++count == 4 || pos >= text.size() || text[pos] != '.')
      break;
    ++pos;
  }
  address = octets << 8 * (4 - count);
  used = pos;
  return count;
}

// The decimal length after a '/': digits only, no more than max has, at most max.
std::optional<unsigned> prefixLength(std::string_view text, unsigned max)
{
  std::size_t digits = 0;
  for (unsigned rest = max; rest; rest /= 10)
    ++digits;
  if (text.empty() || text.size() > digits)
    return std::nullopt;
  unsigned value = 0;
  for (char c : text) {
    if (c < '0' || c > '9')
      return std::nullopt;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value > max)
    return std::nullopt;
  return value;
}

// "/len" after an IPv4 prefix: masks or rejects host bits.
const char* applyIp4Length(
    std::string_view text, bool acceptHostBits, std::uint32_t& address, unsigned& length)
{
  auto parsed = prefixLength(text, 32);
  if (!parsed)
    return kBadAddress;
  unsigned value = *parsed;
  length = value;
  std::uint32_t mask = value == 0 ? 0 : ~std::uint32_t { 0 } << (32 - value);
  if ((address & ~mask) && !acceptHostBits)
    return kHostBits;
  address &= mask;
  return nullptr;
}

// Hex digit values, 16 for any other byte: one load per byte on the loader's hot path.
constexpr auto kHexValue = [] {
  std::array<std::uint8_t, 256> table {};
  table.fill(16);
  for (unsigned c = 0; c < 10; ++c)
    table['0' + c] = static_cast<std::uint8_t>(c);
  for (unsigned c = 0; c < 6; ++c)
    table['a' + c] = table['A' + c] = static_cast<std::uint8_t>(10 + c);
  return table;
}();

// Hex groups with at most one "::". groups: how many were written; compressed: "::" was seen. Every
// group goes into one 128-bit shift register, the head's and the tail's (after "::") alike; the head is
// moved up to the top at the end. Each ip6trie and ip6tset line passes here: no arrays, no second pass.
bool readIp6(std::string_view text, Ip6Bits& address, unsigned& groups, bool& compressed)
{
  const auto* pos = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = pos + text.size();
  auto hexAt = [&](const unsigned char* at) -> unsigned { return at < end ? kHexValue[*at] : 16; };
  Ip6Bits register128 = 0;
  unsigned count = 0, headCount = 0;
  compressed = false;
  if (text.size() >= 2 && pos[0] == ':' && pos[1] == ':') {
    compressed = true;
    pos += 2;
  }
  while (pos < end) {
    unsigned value = hexAt(pos);
    if (value > 15 || count == 8)
      return false;
    ++pos;
    for (unsigned more = 0, digit; more < 3 && (digit = hexAt(pos)) <= 15; ++more, ++pos)
      value = value << 4 | digit;
    if (hexAt(pos) <= 15) // a fifth digit
      return false;
    register128 = register128 << 16 | value;
    ++count;
    if (pos == end)
      break;
    if (*pos != ':' || pos + 1 == end)
      return false;
    ++pos;
    if (*pos == ':') {
      if (compressed)
        return false;
      compressed = true;
      headCount = count;
      ++pos;
    }
  }
  groups = count;
  if (compressed && count == 8)
    return false;
  if (!compressed) {
    address = count == 0 ? 0 : register128 << 16 * (8 - count);
  } else {
    unsigned tailCount = count - headCount; // a leading "::" leaves headCount 0
    Ip6Bits tail = tailCount == 0 ? 0 : register128 & (~Ip6Bits {} >> (128 - 16 * tailCount));
    Ip6Bits head = headCount == 0 ? 0 : register128 >> 16 * tailCount << 16 * (8 - headCount);
    address = head | tail;
  }
  return count > 0 || compressed;
}

} // namespace

std::size_t ip4KeyLength(std::string_view line)
{
  // Digits and . / - : one test per byte (the loader calls this for every line of an IPv4 dataset).
  static constexpr auto kKeyByte = [] {
    std::array<bool, 256> table {};
    for (char c : std::string_view("0123456789./-"))
      table[static_cast<unsigned char>(c)] = true;
    return table;
  }();
  std::size_t i = 0;
  while (i < line.size() && kKeyByte[static_cast<unsigned char>(line[i])])
    ++i;
  return i;
}

// The first min(size, limit) bytes of line (at least 4; limit at most 24) into out, in two overlapping
// fixed-size copies: a variable-length memcpy is a loop or a call for each line.
void copyStart(std::string_view line, std::size_t limit, unsigned char* out)
{
  std::size_t size = std::min(line.size(), limit);
  const char* in = line.data();
  if (size >= 16) {
    std::memcpy(out, in, 16);
    std::memcpy(out + size - 8, in + size - 8, 8);
  } else if (size >= 8) {
    std::memcpy(out, in, 8);
    std::memcpy(out + size - 8, in + size - 8, 8);
  } else {
    std::memcpy(out, in, 4);
    std::memcpy(out + size - 4, in + size - 4, 4);
  }
}

// Every ip4set and ip4trie line passes here. The four octets are read without a branch (a mispredicted
// digit count costs more than the arithmetic): from a zero-padded copy of the line's start, so no read
// is checked against the end, with digit counts picked arithmetically and every problem collected in one
// flag. The rare lines that are not a plain dotted quad (with a length) go back to the general path.
std::size_t readQuadKey(std::string_view line, bool acceptHostBits, Ip4Bits& first, unsigned& length)
{
  constexpr std::size_t kLongest = 19; // "255.255.255.255/32" and the byte after it
  if (line.size() < 7) // shorter than "1.2.3.4"
    return 0;
  unsigned char text[kLongest + 5] = {}; // + the two digits looked at past a three-digit octet (0: none)
  copyStart(line, kLongest, text);
  auto digit = [&](std::size_t at) -> unsigned { return text[at] - unsigned { '0' }; }; // > 9: no digit
  std::uint32_t address = 0;
  std::size_t pos = 0;
  bool bad = false;
  for (unsigned octet = 0; octet < 4; ++octet) {
    unsigned a = digit(pos), b = digit(pos + 1), c = digit(pos + 2);
    unsigned two = b <= 9, three = two & (c <= 9);
    unsigned value = a + two * (a * 9 + b) + three * (a * 90 + b * 9 + c); // a, a*10+b or a*100+b*10+c
    pos += 1 + two + three;
    // A fourth digit fails the '.' test, or the test after the key.
    bad |= (a > 9) | (value > 255) | (octet < 3 && text[pos] != '.');
    address = address << 8 | (value & 255);
    pos += octet < 3;
  }
  if (bad)
    return 0;
  length = 32;
  if (text[pos] == '/') {
    unsigned a = digit(pos + 1), b = digit(pos + 2);
    unsigned two = b <= 9;
    length = two ? a * 10 + b : a;
    pos += 2 + two;
    if (a > 9 || length > 32) // "/", "/x", "/33"; a third digit fails the test below
      return 0;
    std::uint32_t mask = length == 0 ? 0 : ~std::uint32_t { 0 } << (32 - length);
    if ((address & ~mask) && !acceptHostBits)
      return 0;
    address &= mask;
  }
  if (pos < line.size()) {
    char c = line[pos];
    if (c != ' ' && c != '\t' && c != ':' && c != '#' && c != ';')
      return 0;
  }
  first = address;
  return pos;
}

std::size_t ip6KeyLength(std::string_view line)
{
  std::size_t i = 0;
  while (i < line.size() && line[i] != ' ' && line[i] != '\t')
    ++i;
  return i;
}

const char* parseIp4SetKey(std::string_view key, bool acceptHostBits, Ip4Range& out)
{
  std::uint32_t start = 0;
  std::size_t used = 0;
  unsigned octets = readOctets(key, start, used);
  if (octets == 0)
    return kBadAddress;
  std::string_view rest = key.substr(used);
  if (rest.empty()) {
    if (octets == 1)
      return kBadAddress; // a bare "10" is not a prefix: write 10/8
    out = { start, ip4Last(start, 8 * octets) };
    return nullptr;
  }
  if (rest.front() == '/') {
    unsigned length = 0;
    if (const char* error = applyIp4Length(rest.substr(1), acceptHostBits, start, length))
      return error;
    out = { start, ip4Last(start, length) };
    return nullptr;
  }
  if (rest.front() != '-')
    return kBadAddress;
  rest.remove_prefix(1);
  std::uint32_t end = 0;
  unsigned endOctets = readOctets(rest, end, used);
  if (endOctets == 0 || used != rest.size())
    return kBadAddress;
  if (endOctets == 1 && octets > 1) // "127.0.0.1-255": the end replaces the start's last octet
    end = (start & ~(0xffu << (32 - 8 * octets))) | (end >> 24) << (32 - 8 * octets);
  else if (endOctets != octets)
    return kBadAddress;
  out = { start, ip4Last(end, 8 * octets) };
  return out.first <= out.last ? nullptr : "invalid range (start after end)";
}

const char* parseIp4Cidr(std::string_view key, bool acceptHostBits, Ip4Bits& first, unsigned& length)
{
  std::size_t used = 0;
  unsigned octets = readOctets(key, first, used);
  if (octets == 0)
    return kBadAddress;
  std::string_view rest = key.substr(used);
  if (rest.empty()) {
    length = 8 * octets;
    return octets == 1 ? kBadAddress : nullptr;
  }
  if (rest.front() != '/')
    return kBadAddress;
  return applyIp4Length(rest.substr(1), acceptHostBits, first, length);
}

const char* parseIp6Cidr(std::string_view key, bool acceptHostBits, Ip6Prefix& out)
{
  std::size_t slash = key.find('/');
  unsigned groups = 0;
  bool compressed = false;
  if (!readIp6(key.substr(0, slash), out.first, groups, compressed))
    return kBadAddress;
  if (slash == std::string_view::npos) {
    if (groups == 1 && !compressed)
      return kBadAddress; // a bare "2001" needs a length
    out.length = compressed ? 128 : 16 * groups;
    return nullptr;
  }
  std::string_view lengthText = key.substr(slash + 1);
  auto parsed = prefixLength(lengthText, 128);
  if (!parsed)
    return kBadAddress;
  unsigned length = *parsed;
  out.length = length;
  Ip6Bits host = length == 128 ? 0 : ~Ip6Bits {} >> length;
  if ((out.first & host) && !acceptHostBits)
    return kHostBits;
  out.first &= ~host;
  return nullptr;
}

const char* parseIp6Slash64(std::string_view key, Ip6Bits& first)
{
  unsigned groups = 0;
  bool compressed = false;
  if (key.find('/') != std::string_view::npos || !readIp6(key, first, groups, compressed) || compressed
      || groups != 4)
    return "invalid address (ip6tset wants exactly four groups, a /64)";
  return nullptr;
}

const char* parseIp6Address(std::string_view key, Ip6Bits& address)
{
  unsigned groups = 0;
  bool compressed = false;
  if (key.find('/') != std::string_view::npos || !readIp6(key, address, groups, compressed)
      || (!compressed && groups != 8))
    return "invalid address (ip6tset exclusions are single /128 addresses)";
  return nullptr;
}

std::string formatIp4(Ip4Bits address)
{
  return std::to_string(address >> 24) + "." + std::to_string(address >> 16 & 255) + "."
      + std::to_string(address >> 8 & 255) + "." + std::to_string(address & 255);
}

std::string formatIp6(Ip6Bits address)
{
  unsigned groups[8];
  for (unsigned i = 0; i < 8; ++i)
    groups[i] = static_cast<unsigned>(address >> (112 - 16 * i)) & 0xffff;
  // RFC 5952 4.2: the longest run of at least two zero groups (the first of equal runs) becomes "::".
  unsigned bestStart = 8, bestLength = 1;
  for (unsigned i = 0; i < 8;) {
    unsigned j = i;
    while (j < 8 && groups[j] == 0)
      ++j;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j == i ? i + 1 : j;
  }
  std::string text;
  char hex[8];
  for (unsigned i = 0; i < 8; ++i) {
    if (i == bestStart) {
      text += "::";
      i += bestLength - 1;
      continue;
    }
    if (!text.empty() && text.back() != ':')
      text += ':';
    std::snprintf(hex, sizeof hex, "%x", groups[i]);
    text += hex;
  }
  return text;
}

} // namespace shun::listing
