#include "shun/store/ip4_overlay.hpp"

#include <algorithm>

namespace shun::store {

Ip4Overlay::Ip4Overlay(std::shared_ptr<const Dataset> base, std::vector<Change> changes)
    : d_base(std::move(base))
    , d_changes(std::move(changes))
{
  d_ips.reserve(d_changes.size());
  for (const Change& change : d_changes)
    d_ips.push_back(change.ip);
}

const Ip4Overlay::Change* Ip4Overlay::changeAt(Ip4 ip) const noexcept
{
  auto at = std::lower_bound(d_ips.begin(), d_ips.end(), ip);
  return at != d_ips.end() && *at == ip ? &d_changes[static_cast<std::size_t>(at - d_ips.begin())] : nullptr;
}

Ip4Hit Ip4Overlay::find(const Dataset& self, Ip4 ip) const noexcept
{
  const Change* change = changeAt(ip);
  if (!change)
    return { d_base.get(), d_base->ip4.find(ip) };
  if (change->payload != kNoPayload)
    return { &self, change->payload };
  return { d_base.get(), d_base->ip4.findRange(ip) };
}

bool Ip4Overlay::anyWithin(Ip4 first, Ip4 last) const noexcept
{
  // What the base's anyWithin would say had it been built with these changes: its ranges, the listed
  // singles it keeps, and the added ones.
  const Ip4Map& map = d_base->ip4;
  if (map.anyRangeWithin(first, last))
    return true;
  auto at = std::lower_bound(d_ips.begin(), d_ips.end(), first);
  for (auto i = static_cast<std::size_t>(at - d_ips.begin()); i < d_changes.size() && d_ips[i] <= last; ++i)
    if (d_changes[i].payload != kNoPayload)
      return true;
  return map.anyListedSingleWithin(first, last, d_ips);
}

void Ip4Overlay::forEach(const Dataset& self, const std::function<void(Ip4, Ip4, Ip4Hit)>& visit) const
{
  // The base's walk, with its singles at changed addresses dropped and the added ones put in their
  // place in address order (a removed address shows its ranges again).
  std::size_t next = 0;
  auto addedBefore = [&](std::uint64_t end) {
    for (; next < d_changes.size() && d_changes[next].ip < end; ++next)
      if (d_changes[next].payload != kNoPayload)
        visit(d_changes[next].ip, d_changes[next].ip, { &self, d_changes[next].payload });
  };
  d_base->ip4.forEach(
      [&](Ip4 first, Ip4 last, std::uint32_t payload) {
        addedBefore(first); // a range starting at an added address comes first, as in the base's walk
        visit(first, last, { d_base.get(), payload });
      },
      d_ips);
  addedBefore(std::uint64_t { 1 } << 32);
}

Ip4Hit Dataset::overlaidFindIp4(Ip4 ip) const noexcept
{
  return overlay->find(*this, ip);
}

bool Dataset::overlaidAnyIp4Within(Ip4 first, Ip4 last) const noexcept
{
  return overlay->anyWithin(first, last);
}

void Dataset::forEachIp4(const std::function<void(Ip4, Ip4, Ip4Hit)>& visit) const
{
  if (overlay) {
    overlay->forEach(*this, visit);
    return;
  }
  ip4.forEach([&](Ip4 first, Ip4 last, std::uint32_t payload) { visit(first, last, { this, payload }); });
}

} // namespace shun::store
