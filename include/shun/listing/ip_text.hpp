#pragma once

// The IP key grammar of zone files, shared by the loader (its per-line hot path) and listing::parseKey.

#include <cstdint>
#include <string>
#include <string_view>

namespace shun::listing {

/// An IPv4 address as a host-order integer (the same type as Ip4Bits).
using Ip4Bits = std::uint32_t;
/// An IPv6 address as a host-order 128-bit integer (the same type as Ip6Bits).
using Ip6Bits = unsigned __int128;

/// An inclusive IPv4 range.
struct Ip4Range {
  Ip4Bits first = 0, last = 0;
};

/// An IPv6 prefix: first address and length.
struct Ip6Prefix {
  Ip6Bits first = 0;
  unsigned length = 128;
};

/// Length of the key at the start of an entry line: IPv4 keys end at the first character that is not a
/// digit, '.', '/' or '-'; IPv6 keys at a blank (':' belongs to the address).
std::size_t ip4KeyLength(std::string_view line);
std::size_t ip6KeyLength(std::string_view line);

/// ip4set key forms: "a.b.c.d", "a.b.c", "a.b", CIDR with shortened prefix ("127/8"), ranges
/// ("a.b.c.d-e.f.g.h", "127.16-127.31", "127.0.0.1-255"). Returns nullptr or the reason it is bad.
const char* parseIp4SetKey(std::string_view key, bool acceptHostBits, Ip4Range& out);

/// ip4trie/acl key forms: "a.b.c.d", "a.b.c", "a.b", CIDR ("0/0", "127.16/12"). Sets first and prefix length.
const char* parseIp4Cidr(std::string_view key, bool acceptHostBits, Ip4Bits& first, unsigned& length);

/// The common ip4set/ip4trie key, "a.b.c.d" or "a.b.c.d/len", read in one pass at the start of an entry
/// line: its length if it ends the line or is followed by a blank, ':', '#' or ';' (first and length set,
/// host bits masked if accepted), else 0: any other shape or a bad key, left to ip4KeyLength and the
/// parsers above (and their messages). Where it accepts, they accept with the same result.
std::size_t readQuadKey(std::string_view line, bool acceptHostBits, Ip4Bits& first, unsigned& length);

/// ip6trie/acl key forms: groups with omitted trailing zeros ("2001:db8" = /32), "::" compression
/// (implies /128), "/len". Returns nullptr or the reason it is bad.
const char* parseIp6Cidr(std::string_view key, bool acceptHostBits, Ip6Prefix& out);

/// ip6tset listing: exactly four groups, no "::" and no "/len" (a /64).
const char* parseIp6Slash64(std::string_view key, Ip6Bits& first);

/// ip6tset exclusion: one full address (eight groups, or "::" compressed), no "/len".
const char* parseIp6Address(std::string_view key, Ip6Bits& address);

/// Canonical text of an address: dotted quad; lower-case hex groups with the longest run of two or more
/// zero groups as "::" (RFC 5952) and no dotted tail, so the loader reads it back.
std::string formatIp4(Ip4Bits address);
std::string formatIp6(Ip6Bits address);

/// Last address of a prefix of the given length.
inline Ip4Bits ip4Last(Ip4Bits first, unsigned length)
{
  return length >= 32 ? first : first | (~Ip4Bits {} >> length);
}
inline Ip6Bits ip6Last(Ip6Bits first, unsigned length)
{
  return length >= 128 ? first : first | (~Ip6Bits {} >> length);
}

/// Calls add(first, last, level) for the maximal octet-aligned blocks of [first, last], as ip4set stores
/// them: level 8 for whole /8s, 16 for /16s, 24 for /24s, 32 for single addresses (consecutive blocks
/// of one level come as one range).
template <typename Add> void forEachOctetBlock(Ip4Bits first, Ip4Bits last, Add&& add, unsigned level = 8)
{
  if (level == 32) {
    add(first, last, 32u);
    return;
  }
  std::uint64_t size = std::uint64_t { 1 } << (32 - level);
  std::uint64_t low = (first + size - 1) / size * size; // first whole block
  std::uint64_t high = (std::uint64_t { last } + 1) / size * size; // end of the last whole block
  if (low >= high) {
    forEachOctetBlock(first, last, add, level + 8);
    return;
  }
  if (first < low)
    forEachOctetBlock(first, static_cast<Ip4Bits>(low - 1), add, level + 8);
  add(static_cast<Ip4Bits>(low), static_cast<Ip4Bits>(high - 1), level);
  if (high <= last)
    forEachOctetBlock(static_cast<Ip4Bits>(high), last, add, level + 8);
}

} // namespace shun::listing
