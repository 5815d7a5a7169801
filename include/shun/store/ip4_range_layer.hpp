#pragma once

#include "shun/store/dataset.hpp"

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <utility>
#include <vector>

namespace shun::store {

struct OverlayPart;

/// Offsets of Dataset::ip4RangeEntries' size classes: class k (the bit width of last - first, 0..32)
/// holds entries [classes[k], classes[k + 1]), each class by first address then origin.
using Ip4SizeClasses = std::array<std::uint32_t, 34>;

/// Regroups entries (in startsBefore order) by size class, keeping that order inside each class, so the
/// entries that intersect a window are found by 33 binary searches (forEachIp4EntryWithin).
Ip4SizeClasses groupBySizeClass(std::vector<Ip4Entry>& entries);

/// Calls visit(entry) for each entry of entries (grouped by groupBySizeClass) that intersects
/// [first, last]; the cost is 33 binary searches plus the entries of each class that start nearby.
void forEachIp4EntryWithin(std::span<const Ip4Entry> entries, const Ip4SizeClasses& classes, Ip4 first,
    Ip4 last, const std::function<void(const Ip4Entry&)>& visit);

/// The ranges an overlay answers with once a change set held a range key (or removed an entry among them):
/// the base's ranges, except inside windows around the changed keys, where a small map built from the
/// entries there (the base's that no key erased, and those added since) answers. A window holds every
/// entry that intersects it or touches its edges, so its map answers and walks there exactly as a map
/// of every entry would. Rebuilt per change set in time proportional to the windows' entries (never the
/// base's ranges elsewhere, nor its singles); immutable once built.
struct Ip4RangeLayer {
  /// An entry added since the base, with the tables its value indexes.
  struct Added {
    Ip4Entry entry;
    const Dataset* tables;
  };
  Dataset tables; ///< ip4: the map of the windows' entries; values, sets and listings adopted
  std::vector<std::pair<Ip4, Ip4>> windows; ///< disjoint, sorted: where tables.ip4 decides the ranges
  std::vector<std::pair<Ip4, Ip4>> erased; ///< sorted: the base's entries at these ranges are gone
  std::vector<Added> added; ///< by first address, then origin
  std::vector<std::shared_ptr<const OverlayPart>> parts; ///< keep the added entries' tables alive
  std::uint32_t nextOrigin = std::uint32_t { 1 } << 31; ///< past every base origin (line numbers)

  /// The window holding ip, or nullptr.
  const std::pair<Ip4, Ip4>* windowAt(Ip4 ip) const noexcept;
  /// What the ranges alone (no single kept apart) answer at ip, over base.
  Ip4Hit find(const Dataset& base, Ip4 ip) const noexcept;
  /// True if a listed range intersects [first, last] (Ip4Map::anyRangeWithin over base and the windows).
  bool anyWithin(const Dataset& base, Ip4 first, Ip4 last) const noexcept;
};

} // namespace shun::store
