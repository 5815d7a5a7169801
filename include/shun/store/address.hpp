#pragma once

#include <cstdint>

namespace shun::store {

/// An IPv4 address as a host-order integer (127.0.0.2 == 0x7f000002).
using Ip4 = std::uint32_t;

/// An IPv6 address as a host-order 128-bit integer (first address byte most significant).
using Ip6 = unsigned __int128;

/// Payload returned by a map lookup that found nothing.
inline constexpr std::uint32_t kNoPayload = UINT32_MAX;

} // namespace shun::store
