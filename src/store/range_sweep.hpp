#pragma once

#include "shun/store/ip_map.hpp"

#include <algorithm>
#include <set>
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

/// Turns possibly overlapping ranges into sorted disjoint segments. At every point the highest priority
/// decides; LongestPrefix keeps the earliest entry there, UnionPerLevel merges every value at that
/// priority; an exclusion that decides leaves a hole. Identical LongestPrefix duplicates are reported.
template <typename Key>
std::vector<Segment<Key>> sweepRanges(const std::vector<SweepEntry<Key>>& entries, Overlap overlap,
    ValueSets& sets, std::vector<std::uint32_t>& droppedOrigins)
{
  struct Event {
    Key position;
    bool isEnd; // ends sort after starts at the same position: both cover it
    std::uint32_t index;
  };
  std::vector<Event> events;
  events.reserve(entries.size() * 2);
  for (std::uint32_t i = 0; i < entries.size(); ++i) {
    events.push_back({ entries[i].first, false, i });
    events.push_back({ entries[i].last, true, i });
  }
  std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
    return a.position != b.position ? a.position < b.position : a.isEnd < b.isEnd;
  });

  // Active entries ordered by priority (highest first), then by file order.
  auto activeOrder = [&](std::uint32_t a, std::uint32_t b) {
    const auto &ea = entries[a], &eb = entries[b];
    if (ea.priority != eb.priority)
      return ea.priority > eb.priority;
    return ea.origin != eb.origin ? ea.origin < eb.origin : a < b;
  };
  std::set<std::uint32_t, decltype(activeOrder)> active(activeOrder);
  std::vector<Segment<Key>> segments;
  std::vector<ValueId> values;

  auto emit = [&](Key first, Key last) {
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
    if (!segments.empty() && segments.back().payload == payload && segments.back().last + 1 == first
        && segments.back().priority == top.priority) {
      segments.back().last = last;
      return;
    }
    segments.push_back({ first, last, payload, top.priority });
  };

  Key cursor {};
  bool cursorValid = false;
  for (const Event& event : events) {
    const auto& entry = entries[event.index];
    if (!event.isEnd) {
      if (!active.empty() && cursorValid && cursor < event.position)
        emit(cursor, event.position - 1);
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
      active.insert(event.index);
      cursor = event.position;
      cursorValid = true;
    } else {
      if (cursorValid && cursor <= event.position)
        emit(cursor, event.position);
      active.erase(event.index);
      cursorValid = event.position != static_cast<Key>(~Key {}); // no address after the last one
      cursor = event.position + 1;
    }
  }
  return segments;
}

} // namespace shun::store::detail
