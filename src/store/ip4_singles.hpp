#pragma once

#include "page_array.hpp"
#include "shun/store/address.hpp"
#include "shun/store/value.hpp"

#include <cstdint>
#include <vector>

namespace shun::store::detail {

/// The single /32 entries an Ip4MapBuilder collects, 8 bytes each: the address, the origin and whether it
/// is an exclusion. Values are kept apart, by origin: runs of entries sharing a value (most lines of a
/// DNSBL use their file's default) cost one run each, and only the entries that differ from their run
/// are listed one by one. One thread.
class Ip4Singles {
public:
  /// One entry as it was added.
  struct Item {
    Ip4 ip;
    std::uint32_t origin;
    ValueId value;
    bool exclusion;
  };
  static constexpr std::uint32_t kMaxOrigin = 0x3fffffff;

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
  // A key is ip << 32 | origin << 2 | tag, so sorting keys orders by address, then origin.
  enum Tag : std::uint32_t {
    kInRun, ///< the value is that of the run holding the origin
    kListed, ///< the value is in d_listed
    kExclusion, ///< no value
  };
  struct Tagged {
    std::uint32_t origin;
    ValueId value;
  };
  static constexpr std::uint32_t kRunAfter = 16; ///< a value this many entries in a row share starts a run
  static Ip4 ipOf(std::uint64_t key) { return static_cast<Ip4>(key >> 32); }
  Item item(std::uint64_t key) const;
  Tag valueTag(ValueId value, std::uint32_t origin);

  PageArray<std::uint64_t> d_keys;
  std::vector<Tagged> d_runs; ///< by ascending origin; a run lasts until the next one starts
  PageArray<Tagged> d_listed; ///< entries whose value differs from their run's, sorted by sort()
  std::uint32_t d_maxOrigin = 0; ///< highest origin added (a new run must start after it)
  std::uint32_t d_streak = 0; ///< entries in a row at the end of d_listed that share one value
};

} // namespace shun::store::detail
