// IPv6 prefixes through an overlay: the base's levels and the changed prefixes walked together, longest
// first, as Ip6Map walks its own levels.
#include "ip6_pieces.hpp"
#include "shun/store/overlay.hpp"

#include <algorithm>

namespace shun::store {

using detail::kLastIp6;
using detail::lastOf;
using detail::maskTo;

Overlay::Ip6Decision Overlay::decideIp6(Ip6 ip) const noexcept
{
  std::span<const Ip6Map::Level> levels = d_base->ip6.levels();
  std::span<const Ip6Change> changes = d_ip6;
  Ip6 last = kLastIp6;
  std::size_t level = 0, change = 0;
  while (level < levels.size() || change < changes.size()) {
    int baseLength = level < levels.size() ? static_cast<int>(levels[level].length) : -1;
    int changedLength = change < changes.size() ? static_cast<int>(changes[change].length) : -1;
    auto length = static_cast<unsigned>(std::max(baseLength, changedLength));
    bool hidden = false; // a changed prefix removed the base's one here
    if (changedLength == static_cast<int>(length)) {
      std::size_t end = change;
      while (end < changes.size() && changes[end].length == length)
        ++end;
      Ip6 prefix = maskTo(ip, length);
      auto at = std::lower_bound(changes.begin() + static_cast<std::ptrdiff_t>(change),
          changes.begin() + static_cast<std::ptrdiff_t>(end), prefix,
          [](const Ip6Change& c, Ip6 first) { return c.first < first; });
      if (at != changes.begin() + static_cast<std::ptrdiff_t>(end) && at->first == prefix) {
        if (at->hit.payload != kNoPayload)
          return { at->hit, static_cast<int>(length), std::min(last, lastOf(prefix, length)) };
        hidden = true;
        ++at;
      }
      // A changed prefix that starts later ends what decides here (a removed one too: a safe cut).
      if (at != changes.begin() + static_cast<std::ptrdiff_t>(end))
        last = std::min(last, at->first - 1);
      change = end;
    }
    if (baseLength == static_cast<int>(length)) {
      const Ip6Map::Level& prefixes = levels[level++];
      std::size_t next = 0;
      std::size_t index = prefixes.locate(ip, next);
      if (index != static_cast<std::size_t>(-1) && !hidden)
        return { { d_base.get(), prefixes.payload(index) }, static_cast<int>(length),
          std::min(last, lastOf(prefixes.first(index), length)) };
      if (next < prefixes.size())
        last = std::min(last, prefixes.first(next) - 1);
    }
  }
  return { { d_base.get(), kNoPayload }, -1, last };
}

Ip4Hit Overlay::findIp6(Ip6 ip) const noexcept
{
  return decideIp6(ip).hit;
}

bool Overlay::anyIp6Within(Ip6 first, Ip6 last) const noexcept
{
  return detail::anyPieceListed(first, last, [this](Ip6 ip) { return decideIp6(ip); });
}

void Overlay::forEachIp6(const std::function<void(Ip6, Ip6, Ip4Hit)>& visit) const
{
  detail::forEachListedRange([this](Ip6 ip) { return decideIp6(ip); }, visit);
}

Ip4Hit Dataset::overlaidFindIp6(Ip6 ip) const noexcept
{
  return overlay->findIp6(ip);
}

bool Dataset::overlaidAnyIp6Within(Ip6 first, Ip6 last) const noexcept
{
  return overlay->anyIp6Within(first, last);
}

void Dataset::forEachIp6(const std::function<void(Ip6, Ip6, Ip4Hit)>& visit) const
{
  if (overlay) {
    overlay->forEachIp6(visit);
    return;
  }
  ip6.forEach([&](Ip6 first, Ip6 last, std::uint32_t payload) { visit(first, last, { this, payload }); });
}

} // namespace shun::store
