#pragma once

#include "shun/listing/access_keys.hpp"

#include <atomic>
#include <cstdint>
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
/// key file version. Matching a label costs a hash probe and a few 8-byte compares; no allocation.
class AccessKeySet {
public:
  /// Builds the set for keyedZones (presentation names; at most 64) from records; counters of ids that
  /// previous knew are carried over. Records naming zones that are not keyed are kept (they match none).
  AccessKeySet(const std::vector<listing::AccessKeyRecord>& records,
      const std::vector<std::string>& keyedZones, const AccessKeySet* previous);

  /// The bit of a keyed zone (lower-case absolute wire name), 0 if the zone is not keyed.
  std::uint64_t zoneBit(std::string_view lowerWireZone) const noexcept;
  /// The key whose text equals label in any ASCII case, or nullptr. No allocation.
  const AccessKey* find(const char* label, std::size_t length) const noexcept;
  /// Checks label (any case) as a key for the zone with zoneBit at now; key: the key found, if any.
  AccessCheck check(const char* label, std::size_t length, std::uint64_t zoneBit, std::int64_t now,
      const AccessKey*& key) const noexcept;
  /// Counts one query decided by check (the quota counts answered queries). No allocation.
  static void count(const AccessKey& key, AccessCheck check, std::int64_t now) noexcept;

  const std::vector<AccessKey>& keys() const noexcept { return d_keys; }
  const std::vector<std::string>& keyedZones() const noexcept { return d_zones; }

private:
  struct Slot {
    std::uint64_t first = 0; ///< the key's first 8 bytes
    std::uint32_t index = 0; ///< 1 + index into d_keys; 0: empty
  };
  std::vector<AccessKey> d_keys;
  std::vector<Slot> d_table; ///< open addressing, at most half full
  unsigned d_shift = 63;
  std::vector<std::string> d_zones; ///< keyed zones, lower-case wire names; bit i is d_zones[i]
};

/// The name of an AccessCheck for metrics and logs ("valid", "unknown", "over_quota", ...).
std::string_view accessCheckName(AccessCheck check) noexcept;

} // namespace shun::store
