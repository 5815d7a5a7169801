#pragma once

#include "origin_values.hpp"
#include "page_array.hpp"
#include "shun/store/address.hpp"
#include "shun/store/value.hpp"

#include <cstdint>
#include <vector>

namespace shun::store::detail {

/// The single /32 entries an Ip4MapBuilder collects, 8 bytes each: the address, the origin and whether it
/// is an exclusion; values are kept apart, by origin (OriginValues). One thread.
class Ip4Singles {
public:
  /// One entry as it was added.
  struct Item {
    Ip4 ip;
    std::uint32_t origin;
    ValueId value;
    bool exclusion;
  };
  static constexpr std::uint32_t kMaxOrigin = OriginValues::kMaxOrigin;

  /// Adds an entry; origin <= kMaxOrigin (std::length_error otherwise). An exclusion's value is not kept
  /// (it comes back as 0).
  void add(Ip4 ip, ValueId value, bool exclusion, std::uint32_t origin);
  /// Forgets every entry whose address makes matches(ip) true.
  template <typename Matches> void eraseIf(Matches matches)
  {
    d_keys.eraseIf([&](std::uint64_t key) { return matches(ipOf(key)); });
  }
  std::size_t size() const { return d_keys.size(); }

  /// Orders the entries by address, equal addresses by origin (in place, no scratch copy).
  void sort();
  /// Removes the entries whose address makes matches(ip) true, handing each to take(item); the others
  /// keep their order.
  template <typename Matches, typename Take> void extractIf(Matches matches, Take take)
  {
    d_keys.eraseIf([&](std::uint64_t key) {
      if (!matches(ipOf(key)))
        return false;
      take(item(key));
      return true;
    });
  }
  /// Number of distinct addresses (after sort()).
  std::size_t distinctAddresses() const;
  Item operator[](std::size_t index) const { return item(d_keys[index]); }
  Ip4 ipAt(std::size_t index) const { return ipOf(d_keys[index]); }
  /// Frees the memory of the entries before index (they are not read again).
  void releaseBefore(std::size_t index) { d_keys.releaseBefore(index); }
  /// Frees everything.
  void clear();

private:
  // A key is ip << 32 | the OriginValues tag word (origin << 2 | tag), so sorting keys orders by address,
  // then origin.
  static Ip4 ipOf(std::uint64_t key) { return static_cast<Ip4>(key >> 32); }
  Item item(std::uint64_t key) const;

  PageArray<std::uint64_t> d_keys;
  OriginValues d_values;
};

} // namespace shun::store::detail
