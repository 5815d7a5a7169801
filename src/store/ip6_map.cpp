#include "shun/store/ip6_map.hpp"

#include "ip6_pieces.hpp"
#include "page_array.hpp"

#include <algorithm>

namespace shun::store {
namespace {

using detail::kLastIp6;
using detail::lastOf;
using detail::maskTo;

constexpr std::size_t kNotFound = static_cast<std::size_t>(-1);

std::uint64_t highOf(Ip6 ip) noexcept
{
  return static_cast<std::uint64_t>(ip >> 64);
}

std::uint64_t lowOf(Ip6 ip) noexcept
{
  return static_cast<std::uint64_t>(ip);
}

} // namespace

Ip6 Ip6Map::Level::first(std::size_t index) const noexcept
{
  return static_cast<Ip6>(high[index]) << 64 | (low.empty() ? 0 : low[index]);
}

std::uint32_t Ip6Map::Level::payload(std::size_t index) const noexcept
{
  auto run = std::upper_bound(runStart.begin(), runStart.end(), static_cast<std::uint32_t>(index));
  return runPayload[static_cast<std::size_t>(run - runStart.begin()) - 1];
}

std::size_t Ip6Map::Level::locate(Ip6 ip, std::size_t& next) const noexcept
{
  Ip6 prefix = maskTo(ip, length);
  std::uint64_t wantedHigh = highOf(prefix);
  auto highEnd = std::upper_bound(high.begin(), high.end(), wantedHigh);
  std::size_t end = static_cast<std::size_t>(highEnd - high.begin());
  if (low.empty()) {
    next = end;
    return end > 0 && high[end - 1] == wantedHigh ? end - 1 : kNotFound;
  }
  // Long prefixes: the entries with these first 64 bits, then the last 64.
  std::size_t begin
      = static_cast<std::size_t>(std::lower_bound(high.begin(), highEnd, wantedHigh) - high.begin());
  auto lowBegin = low.begin() + static_cast<std::ptrdiff_t>(begin);
  auto lowEnd = low.begin() + static_cast<std::ptrdiff_t>(end);
  std::size_t after
      = static_cast<std::size_t>(std::upper_bound(lowBegin, lowEnd, lowOf(prefix)) - low.begin());
  next = after;
  return after > begin && low[after - 1] == lowOf(prefix) ? after - 1 : kNotFound;
}

std::uint32_t Ip6Map::find(Ip6 ip) const noexcept
{
  for (const Level& level : d_levels) {
    std::size_t next;
    std::size_t index = level.locate(ip, next);
    if (index != kNotFound)
      return level.payload(index);
  }
  return kNoPayload;
}

Ip6Map::Decision Ip6Map::decide(Ip6 ip) const noexcept
{
  Ip6 last = kLastIp6;
  for (const Level& level : d_levels) {
    std::size_t next;
    std::size_t index = level.locate(ip, next);
    if (index != kNotFound)
      return { level.payload(index), static_cast<int>(level.length),
        std::min(last, lastOf(level.first(index), level.length)) };
    // A longer prefix that starts later ends what decides here.
    if (next < level.size())
      last = std::min(last, level.first(next) - 1);
  }
  return { kNoPayload, -1, last };
}

bool Ip6Map::anyWithin(Ip6 first, Ip6 last) const noexcept
{
  return detail::anyPieceListed(first, last, [this](Ip6 ip) { return decide(ip); });
}

void Ip6Map::forEach(const std::function<void(Ip6, Ip6, std::uint32_t)>& visit) const
{
  detail::forEachListedRange([this](Ip6 ip) { return decide(ip); }, visit);
}

std::size_t Ip6Map::rangeCount() const noexcept
{
  std::size_t count = 0;
  for (const Level& level : d_levels)
    count += level.size();
  return count;
}

std::size_t Ip6Map::memoryBytes() const noexcept
{
  std::size_t bytes = d_levels.capacity() * sizeof(Level);
  for (const Level& level : d_levels)
    bytes += (level.high.capacity() + level.low.capacity()) * sizeof(std::uint64_t)
        + (level.runStart.capacity() + level.runPayload.capacity()) * sizeof(std::uint32_t);
  return bytes;
}

} // namespace shun::store
