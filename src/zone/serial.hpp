#pragma once

#include <cstdint>

namespace shun::zone {

/// RFC 1982 section 3.2 with SERIAL_BITS 32: a > b. Neither is greater when they are equal or exactly
/// 2^31 apart (undefined by the RFC; treated as "not greater", so the caller bumps instead).
constexpr bool serialGreater(std::uint32_t a, std::uint32_t b) noexcept
{
  constexpr std::uint32_t kHalf = std::uint32_t { 1 } << 31;
  return (a < b && b - a > kHalf) || (a > b && a - b < kHalf);
}

/// The serial after current when the data now says source (explicit $SOA serial, or newest mtime): source
/// if it is greater than current (RFC 1982), else current + 1 (mod 2^32). Never goes backwards.
constexpr std::uint32_t nextSerial(std::uint32_t current, std::uint32_t source) noexcept
{
  return serialGreater(source, current) ? source : current + 1;
}

} // namespace shun::zone
