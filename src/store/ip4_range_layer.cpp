#include "shun/store/ip4_range_layer.hpp"

#include <algorithm>
#include <bit>

namespace shun::store {
namespace {

unsigned sizeClass(const Ip4Entry& entry)
{
  return static_cast<unsigned>(std::bit_width(entry.last - entry.first));
}

} // namespace

Ip4SizeClasses groupBySizeClass(std::vector<Ip4Entry>& entries)
{
  Ip4SizeClasses classes {};
  for (const Ip4Entry& entry : entries)
    ++classes[sizeClass(entry) + 1];
  for (std::size_t k = 1; k < classes.size(); ++k)
    classes[k] += classes[k - 1];
  // Most files hold one size class or two: a stable scatter into a copy keeps each class's order.
  std::vector<Ip4Entry> grouped(entries.size());
  Ip4SizeClasses next = classes;
  for (const Ip4Entry& entry : entries)
    grouped[next[sizeClass(entry)]++] = entry;
  entries.swap(grouped);
  return classes;
}

void forEachIp4EntryWithin(std::span<const Ip4Entry> entries, const Ip4SizeClasses& classes, Ip4 first,
    Ip4 last, const std::function<void(const Ip4Entry&)>& visit)
{
  for (unsigned k = 0; k + 1 < classes.size(); ++k) {
    auto begin = entries.begin() + classes[k], end = entries.begin() + classes[k + 1];
    if (begin == end)
      continue;
    // An entry of class k spans at most 2^k addresses: one that reaches first starts at most that far before.
    std::uint64_t span = (std::uint64_t { 1 } << k) - 1;
    Ip4 from = first > span ? static_cast<Ip4>(first - span) : 0;
    auto at = std::partition_point(begin, end, [&](const Ip4Entry& e) { return e.first < from; });
    for (; at != end && at->first <= last; ++at)
      if (at->last >= first)
        visit(*at);
  }
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
