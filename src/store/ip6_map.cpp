#include "range_sweep.hpp"
#include "shun/store/ip_map.hpp"

#include <algorithm>

namespace shun::store {

void Ip6MapBuilder::add(
    Ip6 first, Ip6 last, std::uint8_t priority, ValueId value, bool exclusion, std::uint32_t origin)
{
  d_entries.push_back({ first, last, priority, exclusion, value, origin });
}

void Ip6MapBuilder::eraseIf(const std::function<bool(Ip6, Ip6)>& matches)
{
  std::erase_if(d_entries, [&](const Entry& entry) { return matches(entry.first, entry.last); });
}

Ip6Map Ip6MapBuilder::build(ValueSets& sets, std::vector<std::uint32_t>& droppedOrigins)
{
  // IPv6 lists are small next to IPv4 ones (mostly /64s), so every entry goes through the sweep.
  std::vector<detail::SweepEntry<Ip6>> entries;
  entries.reserve(d_entries.size());
  for (const Entry& e : d_entries)
    entries.push_back({ e.first, e.last, e.priority, e.exclusion, e.value, e.origin });
  Ip6Map map;
  detail::sweepRanges<Ip6>(
      entries, Overlap::LongestPrefix, sets, droppedOrigins,
      [&](const detail::Segment<Ip6>& segment) {
        map.d_first.push_back(segment.first);
        map.d_last.push_back(segment.last);
        map.d_payload.push_back(segment.payload);
      },
      [](std::size_t) {});
  map.d_first.shrink_to_fit();
  map.d_last.shrink_to_fit();
  map.d_payload.shrink_to_fit();
  d_entries.clear();
  return map;
}

std::uint32_t Ip6Map::find(Ip6 ip) const noexcept
{
  auto it = std::upper_bound(d_first.begin(), d_first.end(), ip);
  if (it == d_first.begin())
    return kNoPayload;
  std::size_t index = static_cast<std::size_t>(it - d_first.begin()) - 1;
  return ip <= d_last[index] ? d_payload[index] : kNoPayload;
}

bool Ip6Map::anyWithin(Ip6 first, Ip6 last) const noexcept
{
  auto it = std::lower_bound(d_last.begin(), d_last.end(), first);
  return it != d_last.end() && d_first[static_cast<std::size_t>(it - d_last.begin())] <= last;
}

void Ip6Map::forEach(const std::function<void(Ip6, Ip6, std::uint32_t)>& visit) const
{
  for (std::size_t i = 0; i < d_first.size(); ++i)
    visit(d_first[i], d_last[i], d_payload[i]);
}

std::size_t Ip6Map::rangeCount() const noexcept
{
  return d_first.size();
}

std::size_t Ip6Map::memoryBytes() const noexcept
{
  return d_first.capacity() * sizeof(Ip6) + d_last.capacity() * sizeof(Ip6) + d_payload.capacity() * 4;
}

} // namespace shun::store
