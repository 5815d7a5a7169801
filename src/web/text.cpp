#include "web/text.hpp"

#include "admin/key.hpp"

#include <arpa/inet.h>

namespace shun::web {

std::string htmlEscape(std::string_view text)
{
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    case '\'':
      out += "&#39;";
      break;
    default:
      out += c;
    }
  }
  return out;
}

namespace {

int hexValue(char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

} // namespace

std::optional<std::string> urlDecode(std::string_view text)
{
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      if (i + 2 >= text.size())
        return std::nullopt;
      int high = hexValue(text[i + 1]), low = hexValue(text[i + 2]);
      if (high < 0 || low < 0 || (high == 0 && low == 0))
        return std::nullopt;
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::optional<std::map<std::string, std::string>> parseForm(std::string_view body)
{
  std::map<std::string, std::string> fields;
  while (!body.empty()) {
    auto amp = body.find('&');
    std::string_view field = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view {} : body.substr(amp + 1);
    if (field.empty())
      continue;
    auto eq = field.find('=');
    auto name = urlDecode(field.substr(0, eq));
    auto value = urlDecode(eq == std::string_view::npos ? std::string_view {} : field.substr(eq + 1));
    if (!name || !value)
      return std::nullopt;
    fields[*name] = *value;
  }
  return fields;
}

std::optional<LookupKey> parseLookupKey(std::string_view text)
{
  if (text.empty() || text.size() > 253)
    return std::nullopt;
  std::string copy(text);
  LookupKey key;
  unsigned char bytes[16];
  if (inet_pton(AF_INET, copy.c_str(), bytes) == 1) {
    key.family = LookupKey::Family::Ip4;
    key.ip4 = (store::Ip4(bytes[0]) << 24) | (store::Ip4(bytes[1]) << 16) | (store::Ip4(bytes[2]) << 8)
        | bytes[3];
  } else if (copy.find(':') != std::string::npos && inet_pton(AF_INET6, copy.c_str(), bytes) == 1) {
    key.family = LookupKey::Family::Ip6;
    for (unsigned char byte : bytes)
      key.ip6 = (key.ip6 << 8) | byte;
  } else {
    for (char& c : copy)
      c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if (!copy.empty() && copy.back() == '.')
      copy.pop_back();
    if (!admin::validName(copy))
      return std::nullopt;
    key.family = LookupKey::Family::Name;
    key.text = copy;
    return key;
  }
  char buffer[INET6_ADDRSTRLEN];
  inet_ntop(key.family == LookupKey::Family::Ip4 ? AF_INET : AF_INET6, bytes, buffer, sizeof buffer);
  key.text = buffer;
  return key;
}

} // namespace shun::web
