#pragma once

#include "shun/store/address.hpp"

#include <type_traits>

// The walks Ip6Map and Overlay share. Both cut the IPv6 space into pieces, each decided by the longest
// prefix holding it or by none: decide(ip) returns the piece at ip as { hit, length, last }, hit being a
// payload id (Ip6Map) or a hit with its tables (Overlay), length -1 where no prefix decides.
namespace shun::store::detail {

inline constexpr Ip6 kLastIp6 = ~Ip6 {};

/// ip with all but its first length bits cleared.
inline Ip6 maskTo(Ip6 ip, unsigned length) noexcept
{
  return length == 0 ? 0 : ip >> (128 - length) << (128 - length);
}

/// The last address of the prefix first/length.
inline Ip6 lastOf(Ip6 first, unsigned length) noexcept
{
  return length == 0 ? kLastIp6 : length >= 128 ? first : first | (kLastIp6 >> length);
}

template <typename Hit> bool listedHit(const Hit& hit) noexcept
{
  if constexpr (std::is_integral_v<Hit>)
    return hit != kNoPayload;
  else
    return hit.payload != kNoPayload;
}

/// True if some piece of [first, last] is listed; an address range holds few pieces.
template <typename Decide> bool anyPieceListed(Ip6 first, Ip6 last, Decide decide)
{
  for (Ip6 ip = first;;) {
    auto piece = decide(ip);
    if (listedHit(piece.hit))
      return true;
    if (piece.last >= last)
      return false;
    ip = piece.last + 1;
  }
}

/// Calls visit(first, last, hit) for every listed range, by first address: adjacent pieces with the same
/// hit and prefix length make one range.
template <typename Decide, typename Visit> void forEachListedRange(Decide decide, Visit visit)
{
  using Hit = decltype(decide(Ip6 {}).hit);
  bool pending = false;
  Ip6 pendingFirst = 0, pendingLast = 0;
  Hit pendingHit {};
  int pendingLength = -1;
  for (Ip6 ip = 0;;) {
    auto piece = decide(ip);
    if (listedHit(piece.hit)) {
      if (pending && piece.hit == pendingHit && piece.length == pendingLength && pendingLast + 1 == ip) {
        pendingLast = piece.last;
      } else {
        if (pending)
          visit(pendingFirst, pendingLast, pendingHit);
        pending = true;
        pendingFirst = ip;
        pendingLast = piece.last;
        pendingHit = piece.hit;
        pendingLength = piece.length;
      }
    }
    if (piece.last == kLastIp6)
      break;
    ip = piece.last + 1;
  }
  if (pending)
    visit(pendingFirst, pendingLast, pendingHit);
}

} // namespace shun::store::detail
