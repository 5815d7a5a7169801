#include "query/keys.hpp"

#include <arpa/inet.h>

namespace shun::query::detail {
namespace {

int hexNibble(char c) noexcept
{
  if (c >= '0' && c <= '9')
    return c - '0';
  c = static_cast<char>(c | 0x20);
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

// Narrows a v6 key to [low, high] (a prefix holding a whole IPv4 address at shift) and maps it to IPv4.
Ip4Key embeddedIp4(const Ip6Key& key, store::Ip6 low, store::Ip6 high, unsigned shift) noexcept
{
  if (key.shape == KeyShape::None || key.last < low || key.first > high)
    return {};
  store::Ip6 first = key.first > low ? key.first : low;
  store::Ip6 last = key.last < high ? key.last : high;
  auto v4first = static_cast<store::Ip4>(first >> shift);
  auto v4last = static_cast<store::Ip4>(last >> shift);
  return { key.shape, v4first, v4last };
}

} // namespace

Ip4Key ip4Key(std::string_view wire) noexcept
{
  std::uint32_t octets[4];
  std::size_t count = 0;
  for (std::size_t pos = 0; pos < wire.size(); ++count) {
    auto length = static_cast<unsigned char>(wire[pos]);
    if (count == 4 || length == 0 || length > 3 || pos + 1 + length > wire.size())
      return {};
    std::uint32_t value = 0;
    for (std::size_t i = 1; i <= length; ++i) {
      char c = wire[pos + i];
      if (c < '0' || c > '9')
        return {};
      value = value * 10 + static_cast<std::uint32_t>(c - '0');
    }
    if (value > 255)
      return {};
    octets[count] = value;
    pos += 1 + length;
  }
  if (count == 0)
    return {};
  // Labels are reversed: the last label is the first octet.
  store::Ip4 ip = 0;
  for (std::size_t i = 0; i < count; ++i)
    ip |= octets[count - 1 - i] << (24 - 8 * i);
  if (count == 4)
    return { KeyShape::Full, ip, ip };
  store::Ip4 hostMask = UINT32_MAX >> (8 * count);
  return { KeyShape::Partial, ip, ip | hostMask };
}

Ip6Key ip6Key(std::string_view wire) noexcept
{
  if (wire.size() % 2 != 0 || wire.size() > 64 || wire.empty())
    return {};
  std::size_t count = wire.size() / 2;
  store::Ip6 ip = 0;
  for (std::size_t i = 0; i < count; ++i) {
    int nibble = wire[2 * i] == 1 ? hexNibble(wire[2 * i + 1]) : -1;
    if (nibble < 0)
      return {};
    // Label i (from the left) is nibble count-1-i from the top.
    ip |= static_cast<store::Ip6>(nibble) << (128 - 4 * (count - i));
  }
  if (count == 32)
    return { KeyShape::Full, ip, ip };
  store::Ip6 hostMask = ~store::Ip6(0) >> (4 * count);
  return { KeyShape::Partial, ip, ip | hostMask };
}

Ip4Key mappedIp4(const Ip6Key& key) noexcept
{
  constexpr store::Ip6 low = store::Ip6(0xffff) << 32;
  return embeddedIp4(key, low, low | 0xffffffffu, 0);
}

Ip4Key sixToFourIp4(const Ip6Key& key) noexcept
{
  constexpr store::Ip6 low = store::Ip6(0x2002) << 112;
  return embeddedIp4(key, low, low | (~store::Ip6(0) >> 16), 80);
}

bool isMapped(store::Ip6 ip) noexcept
{
  return (ip >> 32) == 0xffff;
}

std::size_t formatIp4(store::Ip4 ip, char* out) noexcept
{
  std::size_t length = 0;
  for (int shift = 24; shift >= 0; shift -= 8) {
    unsigned octet = (ip >> shift) & 0xff;
    if (octet >= 100)
      out[length++] = static_cast<char>('0' + octet / 100);
    if (octet >= 10)
      out[length++] = static_cast<char>('0' + octet / 10 % 10);
    out[length++] = static_cast<char>('0' + octet % 10);
    if (shift > 0)
      out[length++] = '.';
  }
  return length;
}

std::size_t formatIp6(store::Ip6 ip, char* out) noexcept
{
  unsigned char bytes[16];
  for (int i = 15; i >= 0; --i, ip >>= 8)
    bytes[i] = static_cast<unsigned char>(ip);
  char text[INET6_ADDRSTRLEN];
  if (!inet_ntop(AF_INET6, bytes, text, sizeof text))
    return 0;
  std::size_t length = 0;
  while (text[length] != '\0') {
    out[length] = text[length];
    ++length;
  }
  return length;
}

std::size_t formatName(std::string_view wire, char* out, std::size_t capacity) noexcept
{
  static constexpr char kDigits[] = "0123456789";
  std::size_t length = 0;
  auto put = [&](char c) {
    if (length < capacity)
      out[length++] = c;
  };
  for (std::size_t pos = 0; pos < wire.size();) {
    auto labelLength = static_cast<unsigned char>(wire[pos]);
    if (pos > 0)
      put('.');
    for (std::size_t i = 1; i <= labelLength && pos + i < wire.size(); ++i) {
      auto c = static_cast<unsigned char>(wire[pos + i]);
      if (c == '.' || c == '\\') {
        put('\\');
        put(static_cast<char>(c));
      } else if (c <= 0x20 || c >= 0x7f) {
        put('\\');
        put(kDigits[c / 100]);
        put(kDigits[c / 10 % 10]);
        put(kDigits[c % 10]);
      } else {
        put(static_cast<char>(c));
      }
    }
    pos += 1 + labelLength;
  }
  return length;
}

bool endsWithLabels(std::string_view name, std::string_view suffix) noexcept
{
  if (suffix.empty())
    return true;
  if (suffix.size() > name.size())
    return false;
  std::size_t start = name.size() - suffix.size();
  if (name.substr(start) != suffix)
    return false;
  std::size_t pos = 0;
  while (pos < start)
    pos += 1 + static_cast<unsigned char>(name[pos]);
  return pos == start;
}

} // namespace shun::query::detail
