#include "shun/store/overlay.hpp"

#include <algorithm>

namespace shun::store {

Overlay::Overlay(std::shared_ptr<const Dataset> base, std::vector<std::shared_ptr<const OverlayPart>> parts,
    std::vector<Ip4Change> ip4, std::vector<NameChange> names, std::shared_ptr<const Ip4RangeLayer> ranges,
    std::vector<Ip6Change> ip6)
    : d_base(std::move(base))
    , d_parts(std::move(parts))
    , d_ip4(std::move(ip4))
    , d_names(std::move(names))
    , d_ranges(std::move(ranges))
    , d_ip6(std::move(ip6))
{
  d_hidesListed
      = std::any_of(d_names.begin(), d_names.end(), [](const NameChange& c) { return c.hidesListed; });
  d_ips.reserve(d_ip4.size());
  for (const Ip4Change& change : d_ip4)
    d_ips.push_back(change.ip);
}

const Overlay::Ip4Change* Overlay::ip4ChangeAt(Ip4 ip) const noexcept
{
  auto at = std::lower_bound(d_ips.begin(), d_ips.end(), ip);
  return at != d_ips.end() && *at == ip ? &d_ip4[static_cast<std::size_t>(at - d_ips.begin())] : nullptr;
}

Ip4Hit Overlay::findIp4(Ip4 ip) const noexcept
{
  const Ip4Change* change = ip4ChangeAt(ip);
  if (change && change->hit.payload != kNoPayload)
    return change->hit;
  if (!d_ranges)
    return { d_base.get(), change ? d_base->ip4.findRange(ip) : d_base->ip4.find(ip) };
  // The base's singles decide where no change hides them (kNoPayload: excluded); else the ranges, whose
  // windows hold every excluded single there too.
  std::uint32_t payload = kNoPayload;
  if (!change && d_base->ip4.findSingle(ip, payload))
    return { d_base.get(), payload };
  return d_ranges->find(*d_base, ip);
}

bool Overlay::anyIp4Within(Ip4 first, Ip4 last) const noexcept
{
  // What the base's anyWithin would say had it been built with these changes: the ranges, the listed
  // singles the base keeps, and the added ones.
  const Ip4Map& map = d_base->ip4;
  if (d_ranges ? d_ranges->anyWithin(*d_base, first, last) : map.anyRangeWithin(first, last))
    return true;
  auto at = std::lower_bound(d_ips.begin(), d_ips.end(), first);
  for (auto i = static_cast<std::size_t>(at - d_ips.begin()); i < d_ip4.size() && d_ips[i] <= last; ++i)
    if (d_ip4[i].hit.payload != kNoPayload)
      return true;
  return map.anyListedSingleWithin(first, last, d_ips);
}

void Overlay::forEachIp4(const std::function<void(Ip4, Ip4, Ip4Hit)>& visit, Ip4 first, Ip4 last) const
{
  // The base's walk, with its singles at changed addresses dropped and the added ones put in their
  // place in address order (a removed address shows its ranges again).
  auto next = static_cast<std::size_t>(std::lower_bound(d_ips.begin(), d_ips.end(), first) - d_ips.begin());
  auto addedBefore = [&](std::uint64_t end, const auto& rangesUpTo) {
    for (; next < d_ip4.size() && d_ip4[next].ip < end && d_ip4[next].ip <= last; ++next)
      if (d_ip4[next].hit.payload != kNoPayload) {
        rangesUpTo(d_ip4[next].ip);
        visit(d_ip4[next].ip, d_ip4[next].ip, d_ip4[next].hit);
      }
  };
  if (!d_ranges) {
    auto none = [](Ip4) {};
    d_base->ip4.forEach(
        [&](Ip4 from, Ip4 to, std::uint32_t payload) {
          addedBefore(from, none); // a range starting at an added address comes first, as in the base's walk
          visit(from, to, { d_base.get(), payload });
        },
        d_ips, first, last);
    addedBefore(std::uint64_t { 1 } << 32, none);
    return;
  }
  // The base's walk outside the layer's windows (no range crosses their edges) and the windows' map
  // inside them, merged by address with the added singles; the base's listed singles stand everywhere,
  // its excluded ones inside a window are the window's own. At one address a range comes before a single.
  struct Item {
    Ip4 first, last;
    std::uint32_t payload;
  };
  std::vector<Item> windowed;
  d_ranges->tables.ip4.forEach(
      [&](Ip4 from, Ip4 to, std::uint32_t payload) {
        windowed.push_back({ from, to, payload });
      },
      {}, first, last);
  std::size_t nextRange = 0;
  auto rangesUpTo = [&](std::uint64_t at) {
    for (; nextRange < windowed.size() && windowed[nextRange].first <= at; ++nextRange)
      visit(windowed[nextRange].first, windowed[nextRange].last,
          { &d_ranges->tables, windowed[nextRange].payload });
  };
  d_base->ip4.forEach(
      [&](Ip4 from, Ip4 to, std::uint32_t payload) {
        // Inside a window only the base's listed singles stand (a one-address piece of a range may look
        // like one: findSingle tells them apart).
        std::uint32_t own = kNoPayload;
        bool single = from == to;
        if (d_ranges->windowAt(from) && !(single && d_base->ip4.findSingle(from, own) && own != kNoPayload))
          return;
        addedBefore(from, rangesUpTo);
        if (single || from > 0)
          rangesUpTo(single ? from : from - 1);
        visit(from, to, { d_base.get(), payload });
      },
      d_ips, first, last);
  addedBefore(std::uint64_t { 1 } << 32, rangesUpTo);
  rangesUpTo(std::uint64_t { 1 } << 32);
}

Ip4Hit Dataset::overlaidFindIp4(Ip4 ip) const noexcept
{
  return overlay->findIp4(ip);
}

bool Dataset::overlaidAnyIp4Within(Ip4 first, Ip4 last) const noexcept
{
  return overlay->anyIp4Within(first, last);
}

void Dataset::forEachIp4(const std::function<void(Ip4, Ip4, Ip4Hit)>& visit, Ip4 first, Ip4 last) const
{
  if (overlay) {
    overlay->forEachIp4(visit, first, last);
    return;
  }
  ip4.forEach(
      [&](Ip4 from, Ip4 to, std::uint32_t payload) {
        visit(from, to, { this, payload });
      },
      {}, first, last);
}

} // namespace shun::store
