#include "admin/durations.hpp"

#include <algorithm>
#include <limits>

namespace shun::admin {
namespace {

std::int64_t unitSeconds(char unit)
{
  switch (unit) {
  case 's':
    return 1;
  case 'm':
    return 60;
  case 'h':
    return 3600;
  case 'd':
    return 86400;
  case 'w':
    return 7 * 86400;
  default:
    return 0;
  }
}

} // namespace

std::optional<std::int64_t> parseDuration(std::string_view text)
{
  if (text.empty())
    return std::nullopt;
  std::int64_t total = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    std::int64_t number = 0;
    std::size_t digits = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++digits) {
      if (number > std::numeric_limits<std::int64_t>::max() / 10 / (7 * 86400))
        return std::nullopt; // absurdly long: refuse rather than overflow
      number = number * 10 + (text[i] - '0');
    }
    if (digits == 0)
      return std::nullopt;
    std::int64_t unit = 1;
    if (i < text.size()) {
      unit = unitSeconds(static_cast<char>(text[i] | 0x20));
      if (unit == 0)
        return std::nullopt;
      ++i;
    } else if (total != 0) {
      return std::nullopt; // "1d5" is ambiguous
    }
    total += number * unit;
  }
  if (total <= 0)
    return std::nullopt;
  return total;
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

Escalation escalate(const EscalationPolicy& policy, std::uint32_t previousLevel, std::int64_t previousListed,
    std::int64_t now)
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
