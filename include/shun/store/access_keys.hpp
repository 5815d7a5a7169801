#pragma once

#include "shun/listing/access_keys.hpp"

#include <atomic>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace shun::store {

/// What a query's access key label decided.
enum class AccessCheck : std::uint8_t {
  None, ///< not a keyed zone, or the zone apex
  Valid, ///< a known key, live, for this zone, within its quota
  Malformed, ///< not 26-63 characters of [a-z0-9]
  Unknown, ///< well-formed but no such key
  Revoked,
  Expired,
  WrongZone, ///< the key may not query this zone
  OverQuota, ///< its daily quota is used up
};
inline constexpr std::size_t kAccessChecks = 8;

/// One key's counters, shared by every snapshot that knows the key (kept across key file reloads) and
/// updated by all workers (relaxed atomics).
struct alignas(64) AccessKeyCounters {
  std::atomic<std::uint64_t> answered { 0 }; ///< queries answered under the key
  std::atomic<std::uint64_t> refused[kAccessChecks] {}; ///< by AccessCheck (Revoked .. OverQuota)
  std::atomic<std::int64_t> dayEnd { 0 }; ///< unix seconds: the end of the UTC day today counts
  std::atomic<std::uint64_t> today { 0 }; ///< queries counted against the quota since the day began
};

/// One key as the packet path matches it.
struct AccessKey {
  std::string id;
  std::string key; ///< lower case
  std::int64_t until = INT64_MAX; ///< valid while now < until (INT64_MAX: never expires)
  std::uint64_t quota = UINT64_MAX; ///< queries per UTC day (UINT64_MAX: none)
  std::uint64_t zones = 0; ///< bits of the keyed zones it may query (AccessKeySet::zoneBit)
  bool revoked = false;
  std::shared_ptr<AccessKeyCounters> counters;
};

/// The access keys and keyed zones shund serves: immutable once built, shared by the snapshots of one
/// key file version. Matching a label costs a hash probe and a few 8-byte compares, inline: the usual
/// query (a live key without a quota) takes no call. No allocation. Movable, not copyable (it points
/// into itself).
class AccessKeySet {
public:
  /// Builds the set for keyedZones (presentation names; at most 64) from records; counters of ids that
  /// previous knew are carried over. Records naming zones that are not keyed are kept (they match none).
  AccessKeySet(const std::vector<listing::AccessKeyRecord>& records,
      const std::vector<std::string>& keyedZones, const AccessKeySet* previous);
  AccessKeySet(const AccessKeySet&) = delete;
  AccessKeySet& operator=(const AccessKeySet&) = delete;
  AccessKeySet(AccessKeySet&&) noexcept = default;
  AccessKeySet& operator=(AccessKeySet&&) noexcept = default;

  /// The bit of a keyed zone (lower-case absolute wire name), 0 if the zone is not keyed.
  std::uint64_t zoneBit(std::string_view lowerWireZone) const noexcept;
  /// The key whose text equals label in any ASCII case, or nullptr. No allocation.
  const AccessKey* find(const char* label, std::size_t length) const noexcept
  {
    const Match* match = isKeyLength(length) ? matchOf(label, length) : nullptr;
    return match ? match->key : nullptr;
  }
  /// Checks label (any case) as a key for the zone with zoneBit at now; key: the key found, if any.
  /// Always inlined (GCC and Clang): as a call, saving and restoring registers alone cost a fifth of it.
  [[gnu::always_inline]] AccessCheck check(const char* label, std::size_t length, std::uint64_t zoneBit,
      std::int64_t now, const AccessKey*& key) const noexcept
  {
    if (isKeyLength(length)) [[likely]] {
      const Match* match = matchOf(label, length);
      if (match && now < match->liveUntil && (match->zones & zoneBit) != 0) [[likely]] {
        key = match->key;
        return AccessCheck::Valid;
      }
    }
    return checkSlow(label, length, zoneBit, now, key);
  }
  /// Counts one query decided by check (the quota counts answered queries). No allocation.
  static void count(const AccessKey& key, AccessCheck check, std::int64_t now) noexcept
  {
    if (check == AccessCheck::Valid && key.quota == UINT64_MAX) [[likely]] {
      key.counters->answered.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    countSlow(key, check, now);
  }

  const std::vector<AccessKey>& keys() const noexcept { return d_keys; }
  const std::vector<std::string>& keyedZones() const noexcept { return d_zones; }

private:
  /// What matching reads of one key, in one place: its bytes and what the usual decision needs.
  struct Match {
    std::uint64_t word[8] {}; ///< the key, lower case, zero padded
    std::size_t length = 0;
    /// now < liveUntil: neither expired nor revoked, and no quota to count against (those keys take
    /// checkSlow), so the usual key costs one compare here
    std::int64_t liveUntil = INT64_MIN;
    std::uint64_t zones = 0;
    const AccessKey* key = nullptr;
  };
  struct Slot {
    std::uint64_t first = 0; ///< the key's first 8 bytes (0: empty; a key's never are)
    const Match* match = nullptr;
  };
  // Folds ASCII upper case to lower case in 8 bytes at once: every byte of a stored key ([a-z0-9]) has
  // bit 0x20 set, so a query label matches in any case. (Bytes 0x10-0x19 fold onto digits too; only a
  // client that knows the key can use that.)
  static constexpr std::uint64_t kFold = 0x2020202020202020ULL;
  static constexpr std::uint64_t kMultiplier = 0x9E3779B1; // fits an instruction's 32-bit immediate

  static bool isKeyLength(std::size_t length) noexcept
  {
    return length - listing::kMinAccessKey <= listing::kMaxAccessKey - listing::kMinAccessKey;
  }
  static std::uint64_t load8(const void* p) noexcept
  {
    std::uint64_t word;
    std::memcpy(&word, p, 8);
    return word;
  }
  // Bytes 8 onwards of a label of 26-63 bytes against a key, case folded, without a loop for the usual
  // 26-32: the words at 8, 16 and length - 8 cover them; longer keys add their middle words.
  [[gnu::always_inline]] static bool sameAfterFirst(
      const char* label, const Match& match, std::size_t length) noexcept
  {
    const char* key = reinterpret_cast<const char*>(match.word);
    auto differs = [&](std::size_t at) { return (load8(label + at) | kFold) ^ load8(key + at); };
    std::uint64_t diff = differs(8) | differs(16) | differs(length - 8);
    for (std::size_t at = 24; at + 8 < length; at += 8)
      [[unlikely]] diff |= differs(at);
    return diff == 0;
  }
  // The key label (26-63 bytes) matches, or nullptr.
  [[gnu::always_inline]] const Match* matchOf(const char* label, std::size_t length) const noexcept
  {
    std::uint64_t first = load8(label) | kFold;
    for (std::size_t slot = (first * kMultiplier) >> d_shift;; slot = (slot + 1) & d_mask) {
      const Slot& entry = d_slots[slot];
      if (entry.first == first) [[likely]] {
        if (entry.match->length == length && sameAfterFirst(label, *entry.match, length))
          return entry.match;
      } else if (entry.first == 0) {
        return nullptr;
      }
    }
  }
  AccessCheck checkSlow(const char* label, std::size_t length, std::uint64_t zoneBit, std::int64_t now,
      const AccessKey*& key) const noexcept;
  static void countSlow(const AccessKey& key, AccessCheck check, std::int64_t now) noexcept;

  std::vector<AccessKey> d_keys;
  std::vector<Match> d_matches; ///< d_keys' in the same order
  std::vector<Slot> d_table; ///< open addressing, at most half full
  const Slot* d_slots = nullptr; ///< d_table.data()
  std::size_t d_mask = 0; ///< d_table.size() - 1
  unsigned d_shift = 63; ///< 64 - log2(d_table.size())
  std::vector<std::string> d_zones; ///< keyed zones, lower-case wire names; bit i is d_zones[i]
};

/// The name of an AccessCheck for metrics and logs ("valid", "unknown", "over_quota", ...).
std::string_view accessCheckName(AccessCheck check) noexcept;

} // namespace shun::store
