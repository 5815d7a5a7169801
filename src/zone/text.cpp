#include "zone/text.hpp"

#include <charconv>

namespace shun::zone {

std::string_view nextWord(std::string_view& text)
{
  text = skipBlanks(text);
  std::size_t end = 0;
  while (end < text.size() && !isBlank(text[end]))
    ++end;
  std::string_view word = text.substr(0, end);
  text = skipBlanks(text.substr(end));
  return word;
}

std::optional<std::uint32_t> parseNumber(std::string_view text)
{
  std::uint32_t number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (text.empty() || ec != std::errc {} || end != text.data() + text.size())
    return std::nullopt;
  return number;
}

std::optional<std::uint32_t> parseInetAton(std::string_view text)
{
  std::uint32_t parts[4] {};
  std::size_t count = 0;
  while (true) {
    std::size_t dot = text.find('.');
    auto part = parseNumber(text.substr(0, dot));
    if (!part || count == 4)
      return std::nullopt;
    parts[count++] = *part;
    if (dot == std::string_view::npos)
      break;
    text.remove_prefix(dot + 1);
  }
  // The last part fills the remaining bytes: a.b.c.d, a.b.(16 bits), a.(24 bits), (32 bits).
  std::uint32_t address = 0;
  for (std::size_t i = 0; i + 1 < count; ++i) {
    if (parts[i] > 255)
      return std::nullopt;
    address |= parts[i] << (24 - 8 * i);
  }
  std::size_t lastBits = 32 - 8 * (count - 1);
  if (lastBits < 32 && parts[count - 1] >> lastBits)
    return std::nullopt;
  return address | parts[count - 1];
}

std::optional<std::uint32_t> parseAValue(std::string_view text)
{
  std::optional<std::uint32_t> a;
  if (text.find('.') == std::string_view::npos) {
    a = parseNumber(text);
    if (a && *a > 255)
      return std::nullopt;
    if (a)
      *a |= 0x7f000000;
  } else {
    a = parseInetAton(text);
  }
  if (a == 0u)
    return std::nullopt; // rbldnsd rejects 0.0.0.0
  return a;
}

namespace {

bool isDigit(char c)
{
  return c >= '0' && c <= '9';
}

char lower(char c)
{
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// Finishes the label that started at labelStart (its length byte); empty labels are dropped.
bool closeLabel(char* wire, std::size_t& size, std::size_t labelStart)
{
  std::size_t length = size - labelStart - 1;
  if (length == 0) {
    --size;
    return true;
  }
  if (length > 63)
    return false;
  wire[labelStart] = static_cast<char>(length);
  return true;
}

} // namespace

std::size_t nameToWire(std::string_view text, char* wire)
{
  std::size_t size = 1;
  std::size_t labelStart = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '.') {
      if (!closeLabel(wire, size, labelStart))
        return kBadWireName;
      labelStart = size++;
      continue;
    }
    if (c == '\\') {
      if (i + 1 >= text.size())
        return kBadWireName;
      if (isDigit(text[i + 1])) {
        if (i + 3 >= text.size())
          return kBadWireName;
        auto code = parseNumber(text.substr(i + 1, 3));
        if (!code || *code > 255)
          return kBadWireName;
        c = static_cast<char>(*code);
        i += 3;
      } else {
        c = text[++i];
      }
    }
    if (size >= kMaxWireName)
      return kBadWireName;
    wire[size++] = lower(c);
  }
  if (!closeLabel(wire, size, labelStart) || size > 254)
    return kBadWireName;
  return size;
}

std::optional<std::string> nameToWire(std::string_view text)
{
  char wire[kMaxWireName];
  std::size_t size = nameToWire(text, wire);
  if (size == kBadWireName)
    return std::nullopt;
  return std::string(wire, size);
}

std::string wireToText(std::string_view wire)
{
  std::string text;
  for (std::size_t pos = 0; pos < wire.size();) {
    auto length = static_cast<unsigned char>(wire[pos]);
    if (pos)
      text.push_back('.');
    for (std::size_t i = pos + 1; i <= pos + length && i < wire.size(); ++i) {
      auto c = static_cast<unsigned char>(wire[i]);
      if (c == '.' || c == '\\' || c == '"' || c == ';' || c == '(' || c == ')' || c == '$' || c == '@') {
        text.push_back('\\');
        text.push_back(static_cast<char>(c));
      } else if (c <= ' ' || c >= 0x7f) {
        char escape[5] = { '\\', static_cast<char>('0' + c / 100), static_cast<char>('0' + c / 10 % 10),
          static_cast<char>('0' + c % 10), 0 };
        text += escape;
      } else {
        text.push_back(static_cast<char>(c));
      }
    }
    pos += 1 + length;
  }
  return text;
}

ValueParse parseValueText(std::string_view text, store::Value& value)
{
  text = skipBlanks(text);
  if (text.empty() || text.front() == '#' || text.front() == ';')
    return ValueParse::Ok;
  if (text.front() != ':') {
    value.hasTxt = true;
    value.txt.assign(text);
    return ValueParse::Ok;
  }
  text.remove_prefix(1);
  std::size_t colon = text.find(':');
  std::string_view aText = text.substr(0, colon);
  std::size_t blank = aText.find_first_of(" \t");
  if (blank != std::string_view::npos) {
    std::string_view rest = skipBlanks(aText.substr(blank));
    if (colon != std::string_view::npos || (rest.front() != '#' && rest.front() != ';'))
      return ValueParse::BadValue;
    aText = aText.substr(0, blank);
  }
  if (!aText.empty()) {
    auto a = parseAValue(aText);
    if (!a)
      return ValueParse::BadA;
    value.a = *a;
  }
  if (colon == std::string_view::npos)
    return ValueParse::Ok;
  std::string_view txt = skipBlanks(text.substr(colon + 1));
  value.hasTxt = !txt.empty();
  value.txt.assign(txt);
  return ValueParse::Ok;
}

} // namespace shun::zone
