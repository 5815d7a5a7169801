#include "shun/store/access_keys.hpp"

#include <algorithm>
#include <cstring>
#include <map>

namespace shun::store {
namespace {

std::string wireName(std::string_view text)
{
  std::string wire;
  while (!text.empty()) {
    std::size_t dot = text.find('.');
    std::string_view label = text.substr(0, dot);
    wire += static_cast<char>(label.size());
    for (char c : label)
      wire += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    text = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  }
  return wire + '\0';
}

} // namespace

AccessKeySet::AccessKeySet(const std::vector<listing::AccessKeyRecord>& records,
    const std::vector<std::string>& keyedZones, const AccessKeySet* previous)
{
  for (const std::string& zone : keyedZones)
    if (d_zones.size() < 64)
      d_zones.push_back(wireName(zone));
  std::map<std::string, std::shared_ptr<AccessKeyCounters>> kept;
  if (previous)
    for (const AccessKey& key : previous->d_keys)
      kept.emplace(key.id, key.counters);
  for (const listing::AccessKeyRecord& record : records) {
    // A revoked key is "expired since ever": one comparison refuses both on the packet path.
    std::int64_t until = record.revoked ? INT64_MIN : record.expires != 0 ? record.expires : INT64_MAX;
    AccessKey key { record.id, record.key, until, record.dailyQuota != 0 ? record.dailyQuota : UINT64_MAX, 0,
      record.revoked, nullptr };
    for (const std::string& zone : record.zones)
      key.zones |= zoneBit(wireName(zone));
    auto found = kept.find(record.id);
    key.counters = found != kept.end() ? found->second : std::make_shared<AccessKeyCounters>();
    d_keys.push_back(std::move(key));
  }
  d_matches.resize(d_keys.size());
  for (std::size_t i = 0; i < d_keys.size(); ++i) {
    const AccessKey& key = d_keys[i];
    Match& match = d_matches[i];
    // The key file's parser admits kMinAccessKey..kMaxAccessKey characters only.
    std::size_t length = std::min(key.key.size(), sizeof match.bytes - 1);
    std::memcpy(match.bytes, key.key.data(), length);
    std::memcpy(match.tail, match.bytes + (length >= 16 ? length - 16 : 0), sizeof match.tail);
    match.length = length;
    // Revoked (until is INT64_MIN), expired, counting against a quota or longer than checkKey's two
    // blocks: checkSlow decides.
    match.liveUntil = key.quota != UINT64_MAX || length > 32 ? INT64_MIN : key.until;
    match.zones = key.zones;
    match.key = &key;
  }
  std::size_t size = 4;
  d_shift = 62;
  while (size < 2 * d_keys.size()) {
    size *= 2;
    --d_shift;
  }
  d_table.assign(size, &kNoMatch);
  d_mask = size - 1;
  for (const Match& match : d_matches) {
    std::size_t slot = ((load8(match.bytes) | kFold) * kMultiplier) >> d_shift;
    while (d_table[slot] != &kNoMatch)
      slot = (slot + 1) & d_mask;
    d_table[slot] = &match;
  }
  d_slots = d_table.data();
}

const AccessKeySet::Match AccessKeySet::kNoMatch {};

const AccessKey* AccessKeySet::find(const char* label, std::size_t length) const noexcept
{
  if (!isKeyLength(length))
    return nullptr;
  Block head = loadHead(label);
  for (std::size_t slot = (firstWord(head) * kMultiplier) >> d_shift;; slot = (slot + 1) & d_mask) {
    const Match& match = *d_slots[slot];
    if (&match == &kNoMatch)
      return nullptr;
    if (match.length == length && sameKey(label, head, match, length))
      return match.key;
  }
}

std::uint64_t AccessKeySet::zoneBit(std::string_view lowerWireZone) const noexcept
{
  for (std::size_t i = 0; i < d_zones.size(); ++i)
    if (d_zones[i] == lowerWireZone)
      return std::uint64_t { 1 } << i;
  return 0;
}

// A refusal, or a key with a quota.
AccessCheck AccessKeySet::checkSlow(const char* label, std::size_t length, std::uint64_t zoneBit,
    std::int64_t now, const AccessKey*& key) const noexcept
{
  key = find(label, length);
  if (!key)
    return listing::validAccessKey({ label, length }, true) ? AccessCheck::Unknown : AccessCheck::Malformed;
  if (now >= key->until) [[unlikely]]
    return key->revoked ? AccessCheck::Revoked : AccessCheck::Expired;
  if ((key->zones & zoneBit) == 0) [[unlikely]]
    return AccessCheck::WrongZone;
  const AccessKeyCounters& counters = *key->counters;
  if (key->quota != UINT64_MAX && now < counters.dayEnd.load(std::memory_order_relaxed)
      && counters.today.load(std::memory_order_relaxed) >= key->quota)
    return AccessCheck::OverQuota;
  return AccessCheck::Valid;
}

// A refusal, or a key with a quota.
void AccessKeySet::countSlow(const AccessKey& key, AccessCheck check, std::int64_t now) noexcept
{
  AccessKeyCounters& counters = *key.counters;
  if (check != AccessCheck::Valid) {
    counters.refused[static_cast<std::size_t>(check)].fetch_add(1, std::memory_order_relaxed);
    return;
  }
  counters.answered.fetch_add(1, std::memory_order_relaxed);
  if (key.quota == UINT64_MAX)
    return;
  // A new UTC day starts the quota again; two workers racing here lose at most a query's count.
  if (now >= counters.dayEnd.load(std::memory_order_relaxed)) [[unlikely]] {
    counters.dayEnd.store(now - now % 86400 + 86400, std::memory_order_relaxed);
    counters.today.store(0, std::memory_order_relaxed);
  }
  counters.today.fetch_add(1, std::memory_order_relaxed);
}

std::string_view accessCheckName(AccessCheck check) noexcept
{
  switch (check) {
  case AccessCheck::None:
    return "none";
  case AccessCheck::Valid:
    return "valid";
  case AccessCheck::Malformed:
    return "malformed";
  case AccessCheck::Unknown:
    return "unknown";
  case AccessCheck::Revoked:
    return "revoked";
  case AccessCheck::Expired:
    return "expired";
  case AccessCheck::WrongZone:
    return "wrong_zone";
  case AccessCheck::OverQuota:
    return "over_quota";
  }
  return "none";
}

} // namespace shun::store
