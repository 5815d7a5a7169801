#pragma once

#include "radix_sort.hpp"
#include "shun/store/ip_map.hpp"

#include <algorithm>
#include <queue>
#include <set>
#include <span>
#include <vector>

namespace shun::store::detail {

/// One entry handed to the sweep: a closed range [first, last] of addresses of type Key.
template <typename Key> struct SweepEntry {
  Key first, last;
  std::uint8_t priority;
  bool exclusion;
  ValueId value;
  std::uint32_t origin;
};

/// One disjoint output segment; priority is that of the entries that decided it.
template <typename Key> struct Segment {
  Key first, last;
  std::uint32_t payload;
  std::uint8_t priority;
};

/// The order sweepRanges visits entries in: by first address, then origin (earlier lines first).
template <typename Key> bool startsBefore(const SweepEntry<Key>& a, const SweepEntry<Key>& b)
{
  return a.first != b.first ? a.first < b.first : a.origin < b.origin;
}

/// Orders entries by startsBefore, in place (no second buffer: an ip4set sorts its ranges while every single
/// address is held too).
template <typename Key> void sortByStart(std::span<SweepEntry<Key>> entries)
{
  auto before = startsBefore<Key>;
  if (!std::is_sorted(entries.begin(), entries.end(), before))
    sortByTop(
        entries, [](const SweepEntry<Key>& entry) { return entry.first; }, before);
}

/// How many entries a sweep retires between two calls of its retired().
constexpr std::size_t kRetireEvery = 1u << 14;

/// Turns possibly overlapping ranges into sorted disjoint segments, handed to emit(segment) in address
/// order. At every point the highest priority decides; LongestPrefix keeps the earliest entry (lowest
/// origin) there, UnionPerLevel merges every value at that priority; an exclusion that decides leaves a
/// hole. Identical LongestPrefix duplicates are reported. Sorts entries in place (sortByStart), and calls
/// retired(count) now and then once the first count entries are no longer read.
template <typename Key, typename Emit, typename Retired>
void sweepRanges(std::span<SweepEntry<Key>> entries, Overlap overlap, ValueSets& sets,
    std::vector<std::uint32_t>& droppedOrigins, Emit emit, Retired retired)
{
  // Entries are visited in start order (earlier lines first at one address), and the ends of the active
  // ones wait in a heap, rather than in a list of start and end events of three times the entries' size.
  sortByStart(entries);
  struct End {
    Key last;
    std::uint32_t index;
  };
  auto later = [](const End& a, const End& b) { return a.last > b.last; };
  std::priority_queue<End, std::vector<End>, decltype(later)> ends(later);
  std::vector<bool> ended(entries.size());
  std::size_t done = 0; // entries [0, done) have ended

  // Active entries ordered by priority (highest first), then by file order.
  auto activeOrder = [&](std::uint32_t a, std::uint32_t b) {
    const auto &ea = entries[a], &eb = entries[b];
    if (ea.priority != eb.priority)
      return ea.priority > eb.priority;
    return ea.origin != eb.origin ? ea.origin < eb.origin : a < b;
  };
  std::set<std::uint32_t, decltype(activeOrder)> active(activeOrder);
  std::vector<ValueId> values;
  Segment<Key> pending {};
  bool hasPending = false;

  auto decide = [&](Key first, Key last) {
    const auto& top = entries[*active.begin()];
    values.clear();
    bool excluded = false;
    for (std::uint32_t index : active) {
      const auto& entry = entries[index];
      if (entry.priority != top.priority)
        break;
      excluded |= entry.exclusion;
      if (!entry.exclusion && std::find(values.begin(), values.end(), entry.value) == values.end())
        values.push_back(entry.value);
      if (overlap == Overlap::LongestPrefix) {
        excluded = entry.exclusion;
        break;
      }
    }
    if (excluded)
      return;
    std::uint32_t payload = sets.intern(values);
    if (hasPending && pending.payload == payload && pending.last + 1 == first
        && pending.priority == top.priority) {
      pending.last = last;
      return;
    }
    if (hasPending)
      emit(pending);
    pending = { first, last, payload, top.priority };
    hasPending = true;
  };

  Key cursor {};
  bool cursorValid = false;
  for (std::size_t next = 0; next < entries.size() || !ends.empty();) {
    // At one address, starts come before ends: both cover it.
    if (next < entries.size() && (ends.empty() || entries[next].first <= ends.top().last)) {
      const auto& entry = entries[next];
      if (!active.empty() && cursorValid && cursor < entry.first)
        decide(cursor, entry.first - 1);
      if (overlap == Overlap::LongestPrefix) {
        // An identical earlier range hides this one: rbldnsd keeps the first and warns.
        for (std::uint32_t index : active) {
          const auto& other = entries[index];
          if (other.priority < entry.priority)
            break;
          if (other.first == entry.first && other.last == entry.last && other.priority == entry.priority)
            droppedOrigins.push_back(entry.origin);
        }
      }
      ends.push({ entry.last, static_cast<std::uint32_t>(next) });
      active.insert(static_cast<std::uint32_t>(next++));
      cursor = entry.first;
      cursorValid = true;
    } else {
      End end = ends.top();
      ends.pop();
      if (cursorValid && cursor <= end.last)
        decide(cursor, end.last);
      active.erase(end.index);
      cursorValid = end.last != static_cast<Key>(~Key {}); // no address after the last one
      cursor = end.last + 1;
      ended[end.index] = true;
      std::size_t before = done;
      while (done < next && ended[done])
        ++done;
      if (done / kRetireEvery != before / kRetireEvery)
        retired(done);
    }
  }
  if (hasPending)
    emit(pending);
}

} // namespace shun::store::detail
