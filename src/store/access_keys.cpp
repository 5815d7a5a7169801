#include "shun/store/access_keys.hpp"

#include <cstring>
#include <map>

namespace shun::store {
namespace {

// Folds ASCII upper case to lower case in 8 bytes at once: every byte of a stored key ([a-z0-9]) has
// bit 0x20 set, so a query label matches in any case. (Bytes 0x10-0x19 fold onto digits too; only a
// client that knows the key can use that.)
constexpr std::uint64_t kFold = 0x2020202020202020ULL;

std::uint64_t load8(const char* p) noexcept
{
  std::uint64_t word;
  std::memcpy(&word, p, 8);
  return word;
}

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

// Bytes 8 onwards of a label of 26-63 bytes against a stored key, case folded, without a loop for the
// usual 26-32: the words at 8, 16 and length - 8 cover them; longer keys add their middle words.
bool sameAfterFirst(const char* label, const char* stored, std::size_t length) noexcept
{
  auto differs = [&](std::size_t at) { return (load8(label + at) | kFold) ^ load8(stored + at); };
  std::uint64_t diff = differs(8) | differs(16) | differs(length - 8);
  for (std::size_t at = 24; at + 8 < length; at += 8)
    diff |= differs(at);
  return diff == 0;
}

std::size_t slotOf(std::uint64_t first, unsigned shift) noexcept
{
  return static_cast<std::size_t>((first * 0x9E3779B97F4A7C15ULL) >> shift);
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
  std::size_t size = 4;
  d_shift = 62;
  while (size < 2 * d_keys.size()) {
    size *= 2;
    --d_shift;
  }
  d_table.assign(size, Slot {});
  for (std::size_t i = 0; i < d_keys.size(); ++i) {
    std::uint64_t first = load8(d_keys[i].key.data());
    std::size_t slot = slotOf(first, d_shift);
    while (d_table[slot].index != 0)
      slot = (slot + 1) & (size - 1);
    d_table[slot] = Slot { first, static_cast<std::uint32_t>(i + 1) };
  }
}

std::uint64_t AccessKeySet::zoneBit(std::string_view lowerWireZone) const noexcept
{
  for (std::size_t i = 0; i < d_zones.size(); ++i)
    if (d_zones[i] == lowerWireZone)
      return std::uint64_t { 1 } << i;
  return 0;
}

const AccessKey* AccessKeySet::find(const char* label, std::size_t length) const noexcept
{
  if (length - listing::kMinAccessKey > listing::kMaxAccessKey - listing::kMinAccessKey) // one comparison
    return nullptr;
  std::uint64_t first = load8(label) | kFold;
  std::size_t mask = d_table.size() - 1;
  for (std::size_t slot = slotOf(first, d_shift);; slot = (slot + 1) & mask) {
    const Slot& entry = d_table[slot];
    if (entry.index == 0)
      return nullptr;
    const AccessKey& key = d_keys[entry.index - 1];
    if (entry.first == first && key.key.size() == length && sameAfterFirst(label, key.key.data(), length))
      return &key;
  }
}

AccessCheck AccessKeySet::check(const char* label, std::size_t length, std::uint64_t zoneBit,
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

void AccessKeySet::count(const AccessKey& key, AccessCheck check, std::int64_t now) noexcept
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
