#include "web/text.hpp"

#include "shun/listing/key.hpp"

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
  std::string error;
  auto key = text.size() > 253 ? std::nullopt : listing::parseKey(text, error, listing::kLookupKeys);
  if (!key)
    return std::nullopt;
  LookupKey lookup;
  lookup.family = key->family == listing::Key::Family::Ip4 ? LookupKey::Family::Ip4
      : key->family == listing::Key::Family::Ip6           ? LookupKey::Family::Ip6
                                                           : LookupKey::Family::Name;
  lookup.text = key->text;
  lookup.ip4 = key->v4First;
  lookup.ip6 = key->v6First;
  lookup.key = std::move(*key);
  return lookup;
}

} // namespace shun::web
