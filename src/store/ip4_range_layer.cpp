#include "shun/store/ip4_range_layer.hpp"

#include <algorithm>

namespace shun::store {
std::vector<std::uint32_t> longIp4Ranges(std::span<const Ip4Entry> entries)
{
  std::vector<std::uint32_t> longs;
  for (std::size_t i = 0; i < entries.size(); ++i)
    if (entries[i].last - entries[i].first >= kIp4LongRange - 1)
      longs.push_back(static_cast<std::uint32_t>(i));
  longs.shrink_to_fit();
  return longs;
}

void forEachIp4EntryWithin(std::span<const Ip4Entry> entries, std::span<const std::uint32_t> longs, Ip4 first,
    Ip4 last, const std::function<void(const Ip4Entry&)>& visit)
{
  // A short entry that reaches first starts less than kIp4LongRange before it.
  Ip4 from = first >= kIp4LongRange ? first - (kIp4LongRange - 1) : 0;
  auto at = std::partition_point(
      entries.begin(), entries.end(), [&](const Ip4Entry& e) { return e.first < from; });
  for (; at != entries.end() && at->first <= last; ++at)
    if (at->last >= first && at->last - at->first < kIp4LongRange - 1)
      visit(*at);
  for (std::uint32_t i : longs)
    if (entries[i].first <= last && entries[i].last >= first)
      visit(entries[i]);
}

const std::pair<Ip4, Ip4>* Ip4RangeLayer::windowAt(Ip4 ip) const noexcept
{
  auto after = std::partition_point(
      windows.begin(), windows.end(), [&](const std::pair<Ip4, Ip4>& w) { return w.first <= ip; });
  if (after == windows.begin() || std::prev(after)->second < ip)
    return nullptr;
  return &*std::prev(after);
}

Ip4Hit Ip4RangeLayer::find(const Dataset& base, Ip4 ip) const noexcept
{
  if (windowAt(ip))
    return { &tables, tables.ip4.find(ip) };
  return { &base, base.ip4.findRange(ip) };
}

bool Ip4RangeLayer::anyWithin(const Dataset& base, Ip4 first, Ip4 last) const noexcept
{
  if (tables.ip4.anyWithin(first, last)) // only the windows' entries are in it
    return true;
  if (!base.ip4.anyRangeWithin(first, last))
    return false;
  // The base's ranges count in the gaps between the windows only.
  std::uint64_t cursor = first;
  auto at = std::partition_point(
      windows.begin(), windows.end(), [&](const std::pair<Ip4, Ip4>& w) { return w.second < first; });
  for (; at != windows.end() && at->first <= last; ++at) {
    if (at->first > cursor && base.ip4.anyRangeWithin(static_cast<Ip4>(cursor), at->first - 1))
      return true;
    cursor = std::uint64_t { at->second } + 1;
  }
  return cursor <= last && base.ip4.anyRangeWithin(static_cast<Ip4>(cursor), last);
}

} // namespace shun::store
