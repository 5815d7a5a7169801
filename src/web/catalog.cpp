#include "web/catalog.hpp"

#include <algorithm>
#include <cctype>

namespace shun::web {

const Catalog& englishCatalog();
const Catalog& japaneseCatalog();

const Catalog& catalog(Lang lang)
{
  return lang == Lang::Ja ? japaneseCatalog() : englishCatalog();
}

std::string_view text(Lang lang, Msg id)
{
  return catalog(lang)[static_cast<std::size_t>(id)];
}

std::string format(Lang lang, Msg id, std::initializer_list<std::string_view> args)
{
  std::string_view pattern = text(lang, id);
  std::string out;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    bool slot = pattern[i] == '{' && i + 2 < pattern.size() && pattern[i + 2] == '}';
    auto index = slot ? static_cast<std::size_t>(pattern[i + 1] - '0') : args.size();
    if (index < args.size()) {
      out += args.begin()[index];
      i += 2;
    } else {
      out += pattern[i];
    }
  }
  return out;
}

std::string_view langCode(Lang lang)
{
  return lang == Lang::Ja ? "ja" : "en";
}

namespace {

std::string_view trim(std::string_view text)
{
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  return text;
}

bool primaryIs(std::string_view tag, std::string_view code)
{
  if (tag.size() < code.size() || (tag.size() > code.size() && tag[code.size()] != '-'))
    return false;
  for (std::size_t i = 0; i < code.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(tag[i])) != code[i])
      return false;
  return true;
}

// q in thousandths ("q=0.8" -> 800); a malformed q counts as 0 (RFC 9110 section 12.4.2).
int quality(std::string_view parameters)
{
  auto at = parameters.find("q=");
  if (at == std::string_view::npos)
    return 1000;
  std::string_view value = trim(parameters.substr(at + 2));
  int whole = value.starts_with("1") ? 1000 : 0;
  int scale = 100;
  auto dot = value.find('.');
  for (std::size_t i = dot == std::string_view::npos ? value.size() : dot + 1; i < value.size() && scale;
       ++i, scale /= 10)
    whole += std::isdigit(static_cast<unsigned char>(value[i])) ? (value[i] - '0') * scale : 0;
  return std::min(whole, 1000);
}

} // namespace

Lang chooseLanguage(std::string_view requested, std::string_view acceptLanguage)
{
  if (!requested.empty())
    return primaryIs(requested, "ja") ? Lang::Ja : Lang::En;
  Lang best = Lang::En;
  int bestQ = 0;
  while (!acceptLanguage.empty()) {
    auto comma = acceptLanguage.find(',');
    std::string_view item = acceptLanguage.substr(0, comma);
    acceptLanguage = comma == std::string_view::npos ? "" : acceptLanguage.substr(comma + 1);
    auto semicolon = item.find(';');
    std::string_view tag = trim(item.substr(0, semicolon));
    int q = semicolon == std::string_view::npos ? 1000 : quality(item.substr(semicolon + 1));
    bool ja = primaryIs(tag, "ja"), en = primaryIs(tag, "en");
    if ((ja || en) && q > bestQ) {
      best = ja ? Lang::Ja : Lang::En;
      bestQ = q;
    }
  }
  return best;
}

std::string durationText(Lang lang, std::int64_t seconds)
{
  struct Unit {
    std::int64_t seconds;
    Msg one, many;
  };
  static constexpr Unit kUnits[] = { { 86400, Msg::Day, Msg::Days }, { 3600, Msg::Hour, Msg::Hours },
    { 60, Msg::Minute, Msg::Minutes }, { 1, Msg::Second, Msg::Seconds } };
  for (const Unit& unit : kUnits) {
    // Days only from two days on: "47 hours" says more than "1 day".
    if (seconds < unit.seconds * (unit.seconds == 86400 ? 2 : 1) && unit.seconds != 1)
      continue;
    std::int64_t count = seconds / unit.seconds;
    return count == 1 ? std::string(text(lang, unit.one))
                      : format(lang, unit.many, { std::to_string(count) });
  }
  return format(lang, Msg::Seconds, { "0" });
}

std::string relativeTime(Lang lang, std::int64_t when, std::int64_t now)
{
  std::int64_t distance = when > now ? when - now : now - when;
  if (distance < 60)
    return std::string(text(lang, Msg::JustNow));
  return format(lang, when > now ? Msg::InFuture : Msg::InPast, { durationText(lang, distance) });
}

std::string cutText(std::string_view text, std::size_t maxBytes)
{
  if (text.size() <= maxBytes)
    return std::string(text);
  std::size_t end = maxBytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) // not inside a character
    --end;
  return std::string(text.substr(0, end)) + "…";
}

} // namespace shun::web
