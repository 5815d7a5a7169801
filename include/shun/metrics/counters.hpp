#pragma once

#include "shun/query/answer.hpp"

#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace shun::metrics {

/// Zone statistics in rbldnsd's terms ("-s" file and SIGUSR1): queries, NOERROR, NXDOMAIN, bytes.
struct ZoneCounters {
  std::uint64_t queries = 0, ok = 0, nxdomain = 0, bytesIn = 0, bytesOut = 0;
  ZoneCounters& operator+=(const ZoneCounters& other) noexcept;
  ZoneCounters& operator-=(const ZoneCounters& other) noexcept;
  bool operator==(const ZoneCounters&) const = default;
};

/// Query types that get their own label in the metrics; every other type counts as "other".
inline constexpr std::array<std::pair<std::uint16_t, const char*>, 6> kLabelledQtypes { { { 1, "A" },
    { 2, "NS" }, { 6, "SOA" }, { 16, "TXT" }, { 28, "AAAA" }, { 255, "ANY" } } };
inline constexpr std::size_t kQtypeSlots = kLabelledQtypes.size() + 1;
/// The counter slot of qtype: its index in kLabelledQtypes, or the last slot ("other").
std::size_t qtypeSlot(std::uint16_t qtype) noexcept;
/// "A", "TXT", ... or "other".
const char* qtypeSlotName(std::size_t slot) noexcept;

/// What response rate limiting did with an answer over the rate.
enum class Limited : std::uint8_t { Slipped, Dropped, LogOnly };
inline constexpr std::size_t kLimitedActions = 3;

/// Whole-server counters (plain values, summed over workers when read).
struct Counters {
  static constexpr std::size_t kRcodes = 16;
  std::array<std::array<std::uint64_t, kRcodes>, 2> queries {}; ///< [Transport][rcode] answered
  std::array<std::uint64_t, kQtypeSlots> byQtype {}; ///< answered, by qtypeSlot
  std::uint64_t listed = 0; ///< positive DNSBL answers
  std::uint64_t unlisted = 0; ///< answers in one of our zones that list nothing
  std::uint64_t truncated = 0; ///< TC set
  std::uint64_t malformed = 0; ///< FORMERR or garbage
  std::uint64_t dropped = 0; ///< no reply sent (garbage, acl ignore, send failure)
  std::uint64_t bytesIn = 0, bytesOut = 0;
  std::array<std::uint64_t, store::kAccessChecks> access {}; ///< keyed zones' queries by AccessCheck
  std::array<std::uint64_t, kLimitedActions> limited {}; ///< rate limited answers, by Limited
  std::array<std::uint64_t, query::kCookieStates> cookies {}; ///< queries with a COOKIE, by CookieState
  std::uint64_t cookieFailures = 0; ///< of those, answered without a server cookie (OpenSSL failed)
  Counters& operator+=(const Counters& other) noexcept;
  std::uint64_t answered() const noexcept; ///< sum of queries
};

/// Zone counter slots per worker; zones beyond this only count in the totals.
inline constexpr std::size_t kMaxZoneSlots = 256;
/// Slot value meaning "no zone" (unknown zone, bad packet).
inline constexpr std::uint16_t kNoZoneSlot = UINT16_MAX;

/// One worker's counters: written by that worker thread only (relaxed load+store, no read-modify-write),
/// read by any thread. Never reset: readers subtract a baseline instead.
class alignas(64) WorkerCounters {
public:
  /// Counts one query that was answered (result.length > 0) or dropped (length 0).
  void count(query::Transport transport, const query::Result& result, std::size_t bytesIn,
      std::uint16_t zoneSlot) noexcept;
  /// Counts a reply the socket refused to send.
  void countSendFailure() noexcept
  {
    bump(d_dropped, 1);
    bump(d_sendFailures, 1);
  }
  /// Counts an answer over the rate limit and what was done with it.
  void countLimited(Limited action) noexcept { bump(d_limited[static_cast<std::size_t>(action)], 1); }
  Counters read() const noexcept;
  ZoneCounters readZone(std::size_t slot) const noexcept;
  ZoneCounters readTotal() const noexcept;

private:
  using Cell = std::atomic<std::uint64_t>;
  struct ZoneCells {
    Cell queries { 0 }, ok { 0 }, nxdomain { 0 }, bytesIn { 0 }, bytesOut { 0 };
  };
  static void bump(Cell& cell, std::uint64_t n) noexcept
  {
    cell.store(cell.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }
  static ZoneCounters readCells(const ZoneCells& cells) noexcept;
  std::array<std::array<Cell, Counters::kRcodes>, 2> d_queries {};
  std::array<Cell, kQtypeSlots> d_byQtype {};
  Cell d_listed { 0 }, d_unlisted { 0 }, d_truncated { 0 }, d_malformed { 0 }, d_dropped { 0 };
  Cell d_bytesIn { 0 }, d_bytesOut { 0 };
  std::array<Cell, store::kAccessChecks> d_access {};
  Cell d_sendFailures { 0 }; ///< part of d_dropped; the rest are packets count() saw unanswered
  std::array<Cell, kLimitedActions> d_limited {};
  std::array<Cell, query::kCookieStates> d_cookies {};
  Cell d_cookieFailures { 0 };
  std::array<ZoneCells, kMaxZoneSlots> d_zones;
};

/// Stable counter slots for zone names across reloads. Thread-safe (reload and statistics threads).
class ZoneSlots {
public:
  /// The slot of name, assigned on first use; kNoZoneSlot when all slots are taken.
  std::uint16_t slotFor(const std::string& name);
  /// Names by slot.
  std::vector<std::string> names() const;

private:
  mutable std::mutex d_mutex;
  std::vector<std::string> d_names;
};

/// Summed statistics of all zones at one moment, zones in slot order.
struct StatsReport {
  std::vector<std::pair<std::string, ZoneCounters>> zones;
  ZoneCounters total;
  StatsReport& operator-=(const StatsReport& baseline);
};

/// Every worker's zone counters and totals summed now, zones in slot order with their names.
StatsReport sumZones(const std::vector<const WorkerCounters*>& workers, const ZoneSlots& slots);

} // namespace shun::metrics
