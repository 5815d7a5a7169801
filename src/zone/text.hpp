#pragma once

#include "shun/store/value.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace shun::zone {

/// rbldnsd whitespace: only space and tab.
inline bool isBlank(char c)
{
  return c == ' ' || c == '\t';
}

/// Drops leading blanks.
inline std::string_view skipBlanks(std::string_view text)
{
  std::size_t i = 0;
  while (i < text.size() && isBlank(text[i]))
    ++i;
  return text.substr(i);
}

/// Splits off the first blank-separated word of text (text keeps the rest, leading blanks skipped).
std::string_view nextWord(std::string_view& text);

/// Parses an unsigned decimal number that fills text.
std::optional<std::uint32_t> parseNumber(std::string_view text);

/// Parses an A value the inet_aton way: "2" = 127.0.0.2, "127.5" = 127.0.0.5, "a.b.c.d".
std::optional<std::uint32_t> parseAValue(std::string_view text);

/// Parses an inet_aton IPv4 address ("10" = 0.0.0.10, "127.1" = 127.0.0.1), as generic's A records do.
std::optional<std::uint32_t> parseInetAton(std::string_view text);

/// Converts a presentation domain name to lower-case wire form without the root label ("" for "" or
/// "."). Accepts \c and \DDD escapes, drops empty labels. nullopt: label or name too long, bad escape.
std::optional<std::string> nameToWire(std::string_view text);
inline constexpr std::size_t kMaxWireName = 256;
inline constexpr std::size_t kBadWireName = static_cast<std::size_t>(-1);
/// nameToWire into wire (kMaxWireName bytes) without allocating: the length, or kBadWireName.
std::size_t nameToWire(std::string_view text, char* wire);

/// Writes a wire name (no root label) in presentation form, escaping special characters; "" stays "".
std::string wireToText(std::string_view wire);

/// Outcome of parsing an rbldnsd ":A:TXT" value (see rbldnsd.md 3.3).
enum class ValueParse { Ok, BadA, BadValue };

/// Applies the value text after a key (or a whole default line) to value, starting from the current
/// default. An empty text or a comment keeps the default.
ValueParse parseValueText(std::string_view text, store::Value& value);

} // namespace shun::zone
