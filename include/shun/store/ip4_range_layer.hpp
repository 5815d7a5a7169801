#pragma once

#include "shun/store/dataset.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <utility>
#include <vector>

namespace shun::store {

struct OverlayPart;

/// Entries spanning this many addresses or more are found through Dataset::ip4LongRanges; the others
/// by their first address, at most this far before a window.
inline constexpr Ip4 kIp4LongRange = 1u << 16;

/// The indices of entries (in startsBefore order) that span kIp4LongRange addresses or more: few in a
/// DNSBL, so that the entries around an address are found without a second copy of them.
std::vector<std::uint32_t> longIp4Ranges(std::span<const Ip4Entry> entries);

/// Calls visit(entry) for each entry of entries (startsBefore order; longs: longIp4Ranges of them) that
/// intersects [first, last]; the cost is a binary search, the entries starting up to kIp4LongRange before
/// first, and the long ones.
void forEachIp4EntryWithin(std::span<const Ip4Entry> entries, std::span<const std::uint32_t> longs, Ip4 first,
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
  Ip4 addedSpan = 0; ///< the largest last - first of added: those reaching an address start that far before
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
