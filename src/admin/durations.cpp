#include "admin/durations.hpp"

#include "shun/listing/listing.hpp"

#include <cctype>
#include <charconv>

namespace shun::admin {

std::optional<std::int64_t> parseDuration(std::string_view text)
{
  // BareTail::Refused refuses "1h30"; a text ending in a unit also refuses a bare "7".
  if (text.empty() || std::isdigit(static_cast<unsigned char>(text.back())))
    return std::nullopt;
  auto seconds = listing::parseDuration(text, listing::BareTail::Refused);
  if (!seconds || *seconds == 0)
    return std::nullopt;
  return *seconds;
}

std::optional<std::int64_t> parseEndTime(std::string_view text)
{
  if (auto time = listing::parseUtcTime(text))
    return time;
  if (text.size() == 10 && text[4] == '-') // a date alone: its first second, UTC
    return listing::parseUtcTime(std::string(text) + "T00:00:00Z");
  std::int64_t unixSeconds = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), unixSeconds);
  if (text.empty() || ec != std::errc {} || end != text.data() + text.size() || unixSeconds < 0)
    return std::nullopt;
  return unixSeconds;
}

std::string formatDuration(std::int64_t seconds)
{
  static constexpr std::pair<char, std::int64_t> kUnits[]
      = { { 'w', 7 * 86400 }, { 'd', 86400 }, { 'h', 3600 }, { 'm', 60 }, { 's', 1 } };
  if (seconds <= 0)
    return "0s";
  std::string out;
  for (auto [unit, size] : kUnits) {
    if (seconds >= size) {
      out += std::to_string(seconds / size);
      out.push_back(unit);
      seconds %= size;
    }
  }
  return out;
}

Escalation escalate(const listing::EscalationPolicy& policy, std::uint32_t previousLevel,
    std::int64_t previousListed, std::int64_t now)
{
  Escalation result { policy.defaultDuration, 0 };
  bool relistedSoon = previousListed > 0 && now - previousListed <= policy.window;
  if (result.duration <= 0 || !relistedSoon || policy.factor <= 1)
    return result;
  result.level = previousLevel + 1;
  for (std::uint32_t i = 0; i < result.level; ++i) {
    result.duration *= policy.factor;
    if (policy.maxDuration > 0 && result.duration >= policy.maxDuration)
      return { policy.maxDuration, result.level };
  }
  return result;
}

} // namespace shun::admin
