#include "shun/rrl/limiter.hpp"

#include <algorithm>

namespace shun::rrl {
namespace {

constexpr unsigned kTagBits = Limiter::kTagBits;
constexpr std::uint64_t kTagMask = Limiter::kTagMask;
constexpr std::uint64_t kMicros = 1000000;
constexpr std::int64_t kStale = INT64_MIN; // an empty or forgotten bucket: as good as full
constexpr int kAttempts = 4; // compare-and-swap retries before letting the answer through

std::uint64_t mix(std::uint64_t x) noexcept
{
  x ^= x >> 32;
  x *= 0xd6e8feb86659fd93ull;
  x ^= x >> 32;
  return x;
}

std::size_t roundUpToPowerOfTwo(std::size_t value) noexcept
{
  std::size_t size = 2;
  while (size < value && size < (std::size_t { 1 } << 30))
    size <<= 1;
  return size;
}

// How far ahead of now (microseconds) a bucket's time lies; kStale when the bucket is empty or its time
// is further ahead than any bucket in use can be (then it is left from before a wrap of the clock).
std::int64_t aheadOf(std::uint64_t word, std::uint64_t tagged, std::int64_t limit) noexcept
{
  if (word == 0)
    return kStale;
  // The arithmetic shift drops the tags and sign-extends the 40-bit difference of the times.
  auto difference = static_cast<std::int64_t>((word | kTagMask) - (tagged | kTagMask)) >> kTagBits;
  return difference > limit ? kStale : difference;
}

// A key not in its first slot, a limited answer or a lost race: both slots are looked at, a new key takes
// the one whose bucket is fullest, and a compare-and-swap that keeps failing lets the answer through.
// tagged: now with the key's tag (an Instant's word); interval and tolerance in microseconds.
bool admitBoth(std::atomic<std::uint64_t>* table, std::size_t index, std::uint64_t tagged,
    std::int64_t interval, std::int64_t tolerance) noexcept
{
  std::uint64_t tag = tagged & kTagMask;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    std::atomic<std::uint64_t>* cell = &table[index];
    std::uint64_t old = cell->load(std::memory_order_relaxed);
    std::int64_t ahead = aheadOf(old, tagged, tolerance + interval);
    if ((old & kTagMask) != tag || old == 0) {
      std::atomic<std::uint64_t>* other = &table[index ^ 1];
      std::uint64_t second = other->load(std::memory_order_relaxed);
      std::int64_t secondAhead = aheadOf(second, tagged, tolerance + interval);
      if (((second & kTagMask) == tag && second != 0) || secondAhead < ahead) {
        cell = other;
        old = second;
        ahead = secondAhead;
      }
      if ((old & kTagMask) != tag)
        ahead = kStale; // a new key takes over the slot whose bucket is fullest
    }
    if (ahead > tolerance)
      return false; // limited answers take no token: the admitted rate stays exactly the rate
    std::uint64_t start = ahead > 0 ? tagged + (static_cast<std::uint64_t>(ahead) << kTagBits) : tagged;
    if (cell->compare_exchange_weak(
            old, start + (static_cast<std::uint64_t>(interval) << kTagBits), std::memory_order_relaxed))
      return true;
  }
  return true; // another worker keeps winning this bucket: let the answer through rather than spin
}

} // namespace

Limiter::Limiter(const Settings& settings, std::uint64_t seed)
    : d_settings(settings)
    , d_exempt(settings.exempt)
    , d_anyExempt(!settings.exempt.empty())
    , d_mask(roundUpToPowerOfTwo(settings.tableSize) - 1)
    , d_seed(mix(seed | 1))
{
  d_settings.ipv4Prefix = std::clamp<std::uint8_t>(settings.ipv4Prefix, 1, 32); // keyOf's shifts need it
  d_settings.ipv6Prefix = std::clamp<std::uint8_t>(settings.ipv6Prefix, 1, 128);
  d_v4Mask = ~(0xffffffffu >> d_settings.ipv4Prefix);
  d_table = std::make_unique<std::atomic<std::uint64_t>[]>(d_mask + 1);
  for (std::size_t i = 0; i <= d_mask; ++i)
    d_table[i].store(0, std::memory_order_relaxed);
  std::uint64_t burst = std::clamp<std::uint64_t>(settings.burst, 1, 3600);
  for (std::size_t c = 0; c < kClasses; ++c) {
    std::uint64_t rate
        = c == static_cast<std::size_t>(AnswerClass::Error) ? settings.errorRate : settings.rate;
    rate = std::clamp<std::uint64_t>(rate, 1, kMicros);
    std::uint64_t interval = (kMicros + rate / 2) / rate;
    d_interval[c] = interval << kTagBits;
    // A full bucket holds burst * rate tokens.
    d_tolerance[c] = static_cast<std::int64_t>((burst * kMicros - interval) << kTagBits);
    // The class above the zone's 16 bits; the top bit keeps the factor from ever being 0.
    d_classSeed[c] = (mix(d_seed) ^ std::uint64_t { c } << 16) | std::uint64_t { 1 } << 63;
  }
}

bool Limiter::exemptSlow(const query::ClientAddress& client) const noexcept
{
  for (const Prefix& prefix : d_exempt)
    if (prefix.contains(client))
      return true;
  return false;
}

// An IPv6 client's prefix as one number (top bit set: apart from IPv4 prefixes); v4-mapped clients share
// their IPv4 prefix's buckets.
std::uint64_t Limiter::keyOf6(const query::ClientAddress& client) const noexcept
{
  if ((client.v6 >> 32) == 0xffff)
    return static_cast<std::uint32_t>(client.v6) & d_v4Mask;
  store::Ip6 bits = client.v6 >> (128 - d_settings.ipv6Prefix);
  return (static_cast<std::uint64_t>(bits >> 64) * 0x9e3779b97f4a7c15ull ^ static_cast<std::uint64_t>(bits))
      | std::uint64_t { 1 } << 63;
}

// An IPv6 client or exempt ranges: the exemption test, then the IPv6 (or v4-mapped) prefix's bucket, all
// through the general path. Also admit's own rare case (a new key, the second slot, a limited answer, a
// lost race), which finds the same bucket again.
bool Limiter::admitOther(
    const query::ClientAddress& client, std::size_t c, std::uint16_t zone, Instant now) noexcept
{
  if (exempt(client))
    return true;
  std::uint64_t hash = hashOf(client.isV6 ? keyOf6(client) : client.v4 & d_v4Mask, zone, c);
  return admitSlow(hash & d_mask, now.word | hash >> (64 - kTagBits), c);
}

// Everything but the usual case (admit's inline part): a new key, a key in its second slot, a limited
// answer, a lost race.
bool Limiter::admitSlow(std::size_t index, std::uint64_t tagged, std::size_t c) noexcept
{
  return admitBoth(d_table.get(), index, tagged, static_cast<std::int64_t>(d_interval[c] >> kTagBits),
      d_tolerance[c] >> kTagBits);
}

} // namespace shun::rrl
