#pragma once

#include "shun/listing/access_keys.hpp"

#include <atomic>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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
/// key file version. Matching a label costs one hash slot and two 16-byte compares, inline: the usual
/// query (a live key of 26-32 characters without a quota, in its home slot) takes no call; longer keys
/// take checkSlow. No allocation. Movable, not copyable (it points into itself).
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
  const AccessKey* find(const char* label, std::size_t length) const noexcept;
  /// Checks label (any case) as a key for the zone with zoneBit at now; key: the key found, if any.
  [[gnu::always_inline]] AccessCheck check(const char* label, std::size_t length, std::uint64_t zoneBit,
      std::int64_t now, const AccessKey*& key) const noexcept
  {
    return isKeyLength(length) ? checkKey(label, length, zoneBit, now, key)
                               : checkSlow(label, length, zoneBit, now, key);
  }
  /// check for a label whose length the caller knows is kMinAccessKey..kMaxAccessKey. Always inlined
  /// (GCC and Clang): as a call, saving and restoring registers alone cost a fifth of it.
  [[gnu::always_inline]] AccessCheck checkKey(const char* label, std::size_t length, std::uint64_t zoneBit,
      std::int64_t now, const AccessKey*& key) const noexcept
  {
    Block head = loadHead(label);
    const Match& match = *d_slots[(firstWord(head) * kMultiplier) >> d_shift];
    // A key elsewhere than its home slot (a collision), a refusal or a quota: checkSlow decides.
    if (match.length == length && sameEnds(label, head, match, length) && now < match.liveUntil
        && (match.zones & zoneBit) != 0) [[likely]] {
      key = match.key;
      return AccessCheck::Valid;
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
#if defined(__SSE2__)
  using Block = __m128i;
#else
  using Block = std::uint64_t;
#endif
  /// What matching reads of one key, in one place: its bytes and what the usual decision needs.
  struct alignas(16) Match {
    unsigned char bytes[listing::kMaxAccessKey + 1] {}; ///< the key, lower case, zero padded
    unsigned char tail[16] {}; ///< its last 16 bytes (a key has at least 26)
    std::size_t length = 0; ///< 0: an empty slot (kNoMatch)
    /// now < liveUntil: neither expired nor revoked, no quota to count against, and at most 32 bytes, so
    /// that its first and last 16 are all of it (other keys take checkSlow): the usual key costs one
    /// compare here
    std::int64_t liveUntil = INT64_MIN;
    std::uint64_t zones = 0;
    const AccessKey* key = nullptr;
  };
  // Folds ASCII upper case to lower case in a whole block: every byte of a stored key ([a-z0-9]) has
  // bit 0x20 set, so a query label matches in any case. (Bytes 0x10-0x19 fold onto digits too; only a
  // client that knows the key can use that.)
  static constexpr std::uint64_t kFold = 0x2020202020202020ULL;
  static constexpr std::uint64_t kMultiplier = 0x61C88647; // odd, and below 2^31: an imul immediate
  static const Match kNoMatch; ///< what empty slots point to: its length matches no label

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
#if defined(__SSE2__)
  // The label's first 16 bytes, case folded: the first 8 pick the slot, all 16 are compared.
  static Block loadHead(const char* label) noexcept
  {
    return _mm_or_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(label)), _mm_set1_epi8(0x20));
  }
  static std::uint64_t firstWord(Block head) noexcept
  {
    return static_cast<std::uint64_t>(_mm_cvtsi128_si64(head));
  }
  static Block block(const char* label, std::size_t at) noexcept
  {
    return _mm_or_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(label + at)), _mm_set1_epi8(0x20));
  }
  // A label of 26-63 bytes against a key of its length, case folded, 16 bytes at 0 and at length - 16
  // only: all of a key of 26-32 (the usual), two compares and no length test.
  [[gnu::always_inline]] static bool sameEnds(
      const char* label, Block head, const Match& match, std::size_t length) noexcept
  {
    auto stored = [](const unsigned char* p) { return _mm_load_si128(reinterpret_cast<const __m128i*>(p)); };
    __m128i same = _mm_and_si128(_mm_cmpeq_epi8(head, stored(match.bytes)),
        _mm_cmpeq_epi8(block(label, length - 16), stored(match.tail)));
    return _mm_movemask_epi8(same) == 0xffff;
  }
  // sameEnds, and the middle blocks of a key longer than 32.
  static bool sameKey(const char* label, Block head, const Match& match, std::size_t length) noexcept
  {
    __m128i same = _mm_set1_epi8(-1);
    for (std::size_t at = 16; at + 16 < length; at += 16)
      same = _mm_and_si128(same,
          _mm_cmpeq_epi8(
              block(label, at), _mm_loadu_si128(reinterpret_cast<const __m128i*>(match.bytes + at))));
    return _mm_movemask_epi8(same) == 0xffff && sameEnds(label, head, match, length);
  }
#else
  static Block loadHead(const char* label) noexcept
  {
    return load8(label) | kFold;
  }
  static std::uint64_t firstWord(Block head) noexcept
  {
    return head;
  }
  static bool sameKey(const char* label, Block head, const Match& match, std::size_t length) noexcept
  {
    std::uint64_t diff = head ^ load8(match.bytes);
    for (std::size_t at = 8; at + 8 < length; at += 8)
      diff |= (load8(label + at) | kFold) ^ load8(match.bytes + at);
    return (diff | ((load8(label + length - 8) | kFold) ^ load8(match.tail + 8))) == 0;
  }
  static bool sameEnds(const char* label, Block head, const Match& match, std::size_t length) noexcept
  {
    return sameKey(label, head, match, length); // no 16-byte blocks: every word is compared
  }
#endif
  AccessCheck checkSlow(const char* label, std::size_t length, std::uint64_t zoneBit, std::int64_t now,
      const AccessKey*& key) const noexcept;
  static void countSlow(const AccessKey& key, AccessCheck check, std::int64_t now) noexcept;

  std::vector<AccessKey> d_keys;
  std::vector<Match> d_matches; ///< d_keys' in the same order
  std::vector<const Match*> d_table; ///< open addressing from the home slot, at most half full
  const Match* const* d_slots = nullptr; ///< d_table.data()
  std::size_t d_mask = 0; ///< d_table.size() - 1
  unsigned d_shift = 63; ///< 64 - log2(d_table.size())
  std::vector<std::string> d_zones; ///< keyed zones, lower-case wire names; bit i is d_zones[i]
};

/// The name of an AccessCheck for metrics and logs ("valid", "unknown", "over_quota", ...).
std::string_view accessCheckName(AccessCheck check) noexcept;

} // namespace shun::store
