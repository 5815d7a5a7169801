#pragma once

#include "shun/store/address.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace shun::query::detail {

/// Whether a relative name is a whole key, a leading part of one (an empty non-terminal candidate), or
/// not a key at all.
enum class KeyShape : std::uint8_t { None, Full, Partial };

/// An IPv4 key read from reversed decimal labels: Full is one address, Partial the range its labels fix.
struct Ip4Key {
  KeyShape shape = KeyShape::None;
  store::Ip4 first = 0, last = 0;
};

/// An IPv6 key read from reversed nibble labels.
struct Ip6Key {
  KeyShape shape = KeyShape::None;
  store::Ip6 first = 0, last = 0;
};

/// "d.c.b.a" (1 to 4 labels of 1-3 digits, 0-255, leading zeros allowed) -> a.b.c.d or the range a.b/16.
Ip4Key ip4Key(std::string_view relativeWire) noexcept;
/// 1 to 32 single hex-digit labels, any case, reversed -> the address or the range its nibbles fix.
Ip6Key ip6Key(std::string_view relativeWire) noexcept;
/// The IPv4 part of a v4-mapped (::ffff:0:0/96) key, same shape; None when the key lies outside.
Ip4Key mappedIp4(const Ip6Key& key) noexcept;
/// The IPv4 part of a 6to4 (2002::/16) key, same shape; None when the key lies outside.
Ip4Key sixToFourIp4(const Ip6Key& key) noexcept;
bool isMapped(store::Ip6 ip) noexcept;

/// Writes ip as dotted text (at most 15 bytes) and returns the length.
std::size_t formatIp4(store::Ip4 ip, char* out) noexcept;
/// Writes ip in RFC 5952 text (at most 45 bytes) and returns the length.
std::size_t formatIp6(store::Ip6 ip, char* out) noexcept;
/// Writes a relative wire name as dotted presentation text with RFC 1035 escapes, at most capacity bytes.
std::size_t formatName(std::string_view relativeWire, char* out, std::size_t capacity) noexcept;

/// True if suffix is a label-aligned suffix of name (both relative wire names; "" is a suffix of all).
bool endsWithLabels(std::string_view name, std::string_view suffix) noexcept;

} // namespace shun::query::detail
