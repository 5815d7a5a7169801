#pragma once

#include "shun/store/address.hpp"
#include "shun/store/huge_page_allocator.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

namespace shun::store::detail {

/// Payload ids (ValueSets ids, or kNoPayload) stored at the width the largest of them needs: one byte
/// while every id is below 255, two below 65,535, four beyond. A DNSBL in rbldnsd's format has a handful
/// of distinct answers, so each of its millions of single addresses costs one payload byte, not four.
/// Ids only grow the width: pushBack widens the array (one copy) when an id does not fit.
class PackedPayloads {
public:
  /// Room for count payloads at the current width (and at a wider one, if a later id needs it).
  void reserve(std::size_t count)
  {
    d_reserved = count;
    d_bytes.reserve(count << d_shift);
  }
  void pushBack(std::uint32_t payload)
  {
    if (payload != kNoPayload && payload >= allOnes(d_shift))
      widen(payload);
    std::uint32_t stored = payload == kNoPayload ? allOnes(d_shift) : payload;
    if (d_shift == 0) {
      d_bytes.push_back(static_cast<std::uint8_t>(stored));
    } else if (d_shift == 1) {
      auto two = static_cast<std::uint16_t>(stored);
      append(&two, 2);
    } else {
      append(&stored, 4);
    }
  }
  /// The payload at index i (kNoPayload where an exclusion was stored).
  std::uint32_t operator[](std::size_t i) const noexcept
  {
    const std::uint8_t* at = d_bytes.data() + (i << d_shift);
    std::uint32_t value;
    if (d_shift == 0) {
      value = *at;
    } else if (d_shift == 1) {
      std::uint16_t two;
      std::memcpy(&two, at, 2);
      value = two;
    } else {
      std::memcpy(&value, at, 4);
    }
    return value == allOnes(d_shift) ? kNoPayload : value;
  }
  /// Copies payload from over payload to (a compaction moving payloads forward).
  void copy(std::size_t from, std::size_t to) noexcept
  {
    std::memmove(
        d_bytes.data() + (to << d_shift), d_bytes.data() + (from << d_shift), std::size_t { 1 } << d_shift);
  }
  /// Keeps the first count payloads.
  void truncate(std::size_t count) { d_bytes.resize(count << d_shift); }
  /// Where payload i lies (a prefetch hint).
  const void* address(std::size_t i) const noexcept { return d_bytes.data() + (i << d_shift); }
  std::size_t size() const noexcept { return d_bytes.size() >> d_shift; }
  std::size_t capacityBytes() const noexcept { return d_bytes.capacity(); }
  void shrinkToFit() { d_bytes.shrink_to_fit(); }

private:
  /// The stored form of kNoPayload at a width: every bit set.
  static constexpr std::uint32_t allOnes(std::uint32_t shift) noexcept
  {
    return shift >= 2 ? kNoPayload : (std::uint32_t { 1 } << (8u << shift)) - 1;
  }
  void append(const void* bytes, std::size_t count)
  {
    const auto* first = static_cast<const std::uint8_t*>(bytes);
    d_bytes.insert(d_bytes.end(), first, first + count);
  }
  void widen(std::uint32_t payload)
  {
    std::uint32_t shift = d_shift;
    while (shift < 2 && payload >= allOnes(shift))
      ++shift;
    PackedPayloads wider;
    wider.d_shift = shift;
    wider.reserve(std::max(d_reserved, size()));
    for (std::size_t i = 0; i < size(); ++i)
      wider.pushBack((*this)[i]);
    *this = std::move(wider);
  }
  std::vector<std::uint8_t, HugePageAllocator<std::uint8_t>> d_bytes;
  std::uint32_t d_shift = 0; ///< log2 of the width in bytes
  std::size_t d_reserved = 0;
};

} // namespace shun::store::detail
