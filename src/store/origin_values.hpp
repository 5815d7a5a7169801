#pragma once

#include "page_array.hpp"
#include "shun/store/value.hpp"

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace shun::store::detail {

/// The values of a builder's entries, kept apart from the entries and found by origin: runs of entries
/// sharing a value (most lines of a DNSBL use their file's default) cost one run each, and only the entries
/// that differ from their run are listed one by one. An entry keeps just its origin and a 2-bit tag
/// (tagged()), so a builder's record stays small. One thread.
class OriginValues {
public:
  static constexpr std::uint32_t kMaxOrigin = 0x3fffffff;
  /// Where an entry's value is kept.
  enum Tag : std::uint32_t {
    kInRun, ///< the value is that of the run holding the origin
    kListed, ///< the value is listed by origin
    kExclusion, ///< no value
  };

  /// Records the value of a new entry and returns origin << 2 | tag; origin <= kMaxOrigin
  /// (std::length_error otherwise).
  std::uint32_t add(ValueId value, bool exclusion, std::uint32_t origin)
  {
    if (origin > kMaxOrigin)
      throw std::length_error("too many lines in one dataset");
    Tag tag = exclusion ? kExclusion : valueTag(value, origin);
    d_maxOrigin = std::max(d_maxOrigin, origin);
    return origin << 2 | tag;
  }
  static std::uint32_t originOf(std::uint32_t tagged) { return tagged >> 2; }
  static bool isExclusion(std::uint32_t tagged) { return (tagged & 3) == kExclusion; }
  /// The value of an entry added as tagged (0 for an exclusion); after sortListed().
  ValueId value(std::uint32_t tagged) const
  {
    Tagged wanted { originOf(tagged), 0 };
    switch (tagged & 3) {
    case kInRun:
      return std::prev(std::upper_bound(d_runs.begin(), d_runs.end(), wanted, byOrigin))->value;
    case kListed:
      return std::lower_bound(d_listed.begin(), d_listed.end(), wanted, byOrigin)->value;
    default:
      return 0;
    }
  }
  /// Gives every value from (of runs and listed entries) the value to.
  void replace(ValueId from, ValueId to)
  {
    for (Tagged& run : d_runs)
      run.value = run.value == from ? to : run.value;
    for (Tagged& listed : d_listed)
      listed.value = listed.value == from ? to : listed.value;
  }
  /// Orders the listed values for value() (origins may have been added out of order).
  void sortListed()
  {
    if (!std::is_sorted(d_listed.begin(), d_listed.end(), byOrigin))
      std::sort(d_listed.begin(), d_listed.end(), byOrigin);
  }
  void clear()
  {
    d_runs = {};
    d_listed.clear();
    d_maxOrigin = 0;
    d_streak = 0;
  }

private:
  struct Tagged {
    std::uint32_t origin;
    ValueId value;
  };
  static constexpr auto byOrigin = [](const Tagged& a, const Tagged& b) { return a.origin < b.origin; };
  static constexpr std::uint32_t kRunAfter = 16; ///< a value this many entries in a row share starts a run

  // Where the value of a new entry is kept: in the current run, in a new run, or listed.
  Tag valueTag(ValueId value, std::uint32_t origin)
  {
    if (!d_runs.empty() && origin >= d_runs.back().origin && d_runs.back().value == value) {
      d_streak = 0;
      return kInRun;
    }
    d_streak = d_streak > 0 && d_listed.back().value == value ? d_streak + 1 : 1;
    // A value that many entries in a row share starts a run (after a new default line, in the next file);
    // only after every origin added so far, so that each earlier entry still finds its own run.
    if (d_runs.empty() || (d_streak > kRunAfter && origin > d_maxOrigin)) {
      d_runs.push_back({ origin, value });
      d_streak = 0;
      return kInRun;
    }
    d_listed.pushBack({ origin, value });
    return kListed;
  }

  std::vector<Tagged> d_runs; ///< by ascending origin; a run lasts until the next one starts
  PageArray<Tagged> d_listed; ///< entries whose value differs from their run's, sorted by sortListed()
  std::uint32_t d_maxOrigin = 0; ///< highest origin added (a new run must start after it)
  std::uint32_t d_streak = 0; ///< entries in a row at the end of d_listed that share one value
};

} // namespace shun::store::detail
