#include "shun/listing/listing.hpp"

#include <charconv>
#include <cstdio>

namespace shun::listing {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t daysFromCivil(std::int64_t year, unsigned month, unsigned day)
{
  year -= month <= 2;
  std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  auto yearOfEra = static_cast<unsigned>(year - era * 400);
  unsigned dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  unsigned dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
  return era * 146097 + static_cast<std::int64_t>(dayOfEra) - 719468;
}

struct CivilDate {
  std::int64_t year;
  unsigned month, day;
};

CivilDate civilFromDays(std::int64_t days)
{
  days += 719468;
  std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  auto dayOfEra = static_cast<unsigned>(days - era * 146097);
  unsigned yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
  unsigned dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
  unsigned shifted = (5 * dayOfYear + 2) / 153;
  unsigned day = dayOfYear - (153 * shifted + 2) / 5 + 1;
  unsigned month = shifted < 10 ? shifted + 3 : shifted - 9;
  return { static_cast<std::int64_t>(yearOfEra) + era * 400 + (month <= 2), month, day };
}

unsigned daysInMonth(std::int64_t year, unsigned month)
{
  static constexpr unsigned kDays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// Reads exactly `width` decimal digits at text[pos].
bool digits(std::string_view text, std::size_t pos, std::size_t width, unsigned& out)
{
  if (pos + width > text.size())
    return false;
  out = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    if (text[i] < '0' || text[i] > '9')
      return false;
    out = out * 10 + static_cast<unsigned>(text[i] - '0');
  }
  return true;
}

std::uint64_t unitSeconds(char unit)
{
  switch (unit | 0x20) { // either case
  case 's':
    return 1;
  case 'm':
    return 60;
  case 'h':
    return 3600;
  case 'd':
    return 86400;
  case 'w':
    return 604800; // a week
  default:
    return 0;
  }
}

std::optional<std::uint32_t> parseCount(std::string_view text)
{
  std::uint32_t count = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), count);
  if (text.empty() || ec != std::errc {} || end != text.data() + text.size())
    return std::nullopt;
  return count;
}

bool isSpace(char c)
{
  return c == ' ' || c == '\t';
}

// One value: bare up to whitespace, or double-quoted with backslash escapes.
bool readValue(std::string_view& text, std::string& value, std::string& error)
{
  value.clear();
  if (text.empty() || text.front() != '"') {
    std::size_t end = 0;
    while (end < text.size() && !isSpace(text[end]))
      ++end;
    value.assign(text.substr(0, end));
    text.remove_prefix(end);
    return true;
  }
  for (std::size_t i = 1; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"') {
      text.remove_prefix(i + 1);
      if (!text.empty() && !isSpace(text.front())) {
        error = "text after closing quote";
        return false;
      }
      return true;
    }
    if (c == '\\' && i + 1 < text.size()) {
      char next = text[++i];
      value.push_back(next == 'n' ? '\n' : next == 't' ? '\t' : next == 'r' ? '\r' : next);
      continue;
    }
    value.push_back(c);
  }
  error = "unterminated quoted value";
  return false;
}

bool timeField(std::string_view key, const std::string& value, std::int64_t& out, std::string& error)
{
  auto time = parseUtcTime(value);
  if (!time) {
    error = std::string(key) + ": bad time \"" + value + "\" (want YYYY-MM-DDTHH:MM:SSZ)";
    return false;
  }
  out = *time;
  return true;
}

// Stores one key=value into listing; false with error on a bad value.
bool assign(Listing& listing, std::string_view key, std::string&& value, std::string& error)
{
  if (key == "added")
    return timeField(key, value, listing.added, error);
  if (key == "expires")
    return timeField(key, value, listing.expires, error);
  if (key == "first")
    return timeField(key, value, listing.firstAdded, error);
  if (key == "ttl" || key == "count") {
    std::optional<std::uint32_t> number = key == "ttl" ? parseDuration(value) : parseCount(value);
    if (!number) {
      error = std::string(key) + ": bad number \"" + value + "\"";
      return false;
    }
    (key == "ttl" ? listing.ttl : listing.timesListed) = *number;
    return true;
  }
  std::string* field = key == "source" ? &listing.source
      : key == "by"                    ? &listing.by
      : key == "reason"                ? &listing.reason
      : key == "evidence"              ? &listing.evidence
                                       : nullptr;
  if (field)
    *field = std::move(value);
  else
    listing.extra.emplace_back(std::string(key), std::move(value));
  return true;
}

bool validKey(std::string_view key)
{
  if (key.empty())
    return false;
  for (char c : key)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'
            || c == '.'))
      return false;
  return true;
}

void appendValue(std::string& out, std::string_view value)
{
  bool quote = value.empty() || value.front() == '"';
  for (char c : value)
    quote = quote || isSpace(c) || c == '\n' || c == '\r';
  if (!quote) {
    out += value;
    return;
  }
  out.push_back('"');
  for (char c : value) {
    if (c == '"' || c == '\\')
      out.push_back('\\');
    if (c == '\n' || c == '\r' || c == '\t') {
      out.push_back('\\');
      c = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
    }
    out.push_back(c);
  }
  out.push_back('"');
}

void appendField(std::string& out, std::string_view key, std::string_view value)
{
  out.push_back(' ');
  out += key;
  out.push_back('=');
  appendValue(out, value);
}

} // namespace

std::optional<Listing> parseMetadata(std::string_view text, std::string& error)
{
  Listing listing;
  std::vector<std::string_view> seen;
  std::string value;
  while (true) {
    while (!text.empty() && isSpace(text.front()))
      text.remove_prefix(1);
    if (text.empty())
      return listing;
    std::size_t equals = text.find('=');
    std::size_t space = text.find_first_of(" \t");
    if (equals == std::string_view::npos || (space != std::string_view::npos && space < equals)) {
      error = "expected key=value, got \"" + std::string(text.substr(0, space)) + "\"";
      return std::nullopt;
    }
    std::string_view key = text.substr(0, equals);
    if (!validKey(key)) {
      error = "bad key \"" + std::string(key) + "\"";
      return std::nullopt;
    }
    for (std::string_view earlier : seen)
      if (earlier == key) {
        error = "duplicate key \"" + std::string(key) + "\"";
        return std::nullopt;
      }
    seen.push_back(key);
    text.remove_prefix(equals + 1);
    if (!readValue(text, value, error) || !assign(listing, key, std::move(value), error))
      return std::nullopt;
  }
}

std::string formatMetadata(const Listing& listing)
{
  std::string out = "#@";
  if (listing.added)
    appendField(out, "added", formatUtcTime(listing.added));
  if (listing.expires)
    appendField(out, "expires", formatUtcTime(listing.expires));
  if (listing.ttl)
    appendField(out, "ttl", std::to_string(listing.ttl));
  const std::pair<std::string_view, const std::string*> texts[] = { { "source", &listing.source },
    { "by", &listing.by }, { "reason", &listing.reason }, { "evidence", &listing.evidence } };
  for (const auto& [key, text] : texts)
    if (!text->empty())
      appendField(out, key, *text);
  if (listing.timesListed)
    appendField(out, "count", std::to_string(listing.timesListed));
  if (listing.firstAdded)
    appendField(out, "first", formatUtcTime(listing.firstAdded));
  for (const auto& [key, text] : listing.extra)
    appendField(out, key, text);
  return out;
}

std::optional<std::uint32_t> parseDuration(std::string_view text, BareTail bareTail)
{
  if (text.empty())
    return std::nullopt;
  std::uint64_t total = 0;
  bool afterUnit = false;
  while (!text.empty()) {
    std::uint64_t number = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (ec != std::errc {} || number > UINT32_MAX)
      return std::nullopt;
    text.remove_prefix(static_cast<std::size_t>(end - text.data()));
    std::uint64_t unit = 1;
    if (!text.empty()) {
      unit = unitSeconds(text.front());
      if (unit == 0)
        return std::nullopt;
      text.remove_prefix(1);
      afterUnit = true;
    } else if (afterUnit && bareTail == BareTail::Refused) {
      return std::nullopt;
    }
    total += number * unit;
    if (total > UINT32_MAX)
      return std::nullopt;
  }
  return static_cast<std::uint32_t>(total);
}

std::optional<std::uint32_t> parseTtl(std::string_view text)
{
  constexpr std::uint32_t kMaxTtl = 0x7fffffff;
  auto seconds = parseDuration(text, BareTail::Refused);
  if (!seconds || *seconds > kMaxTtl)
    return std::nullopt;
  return seconds;
}

std::optional<std::int64_t> parseUtcTime(std::string_view text)
{
  unsigned year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (text.size() != 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':'
      || text[16] != ':' || text[19] != 'Z')
    return std::nullopt;
  if (!digits(text, 0, 4, year) || !digits(text, 5, 2, month) || !digits(text, 8, 2, day)
      || !digits(text, 11, 2, hour) || !digits(text, 14, 2, minute) || !digits(text, 17, 2, second))
    return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59
      || second > 59)
    return std::nullopt;
  return daysFromCivil(year, month, day) * 86400 + std::int64_t { hour } * 3600 + std::int64_t { minute } * 60
      + second;
}

std::string formatUtcTime(std::int64_t unixSeconds)
{
  std::int64_t days = unixSeconds / 86400;
  std::int64_t rest = unixSeconds % 86400;
  if (rest < 0) {
    rest += 86400;
    --days;
  }
  CivilDate date = civilFromDays(days);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02uT%02d:%02d:%02dZ", static_cast<long long>(date.year),
      date.month, date.day, static_cast<int>(rest / 3600), static_cast<int>(rest / 60 % 60),
      static_cast<int>(rest % 60));
  return buffer;
}

} // namespace shun::listing
