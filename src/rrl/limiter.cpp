#include "shun/rrl/rrl.hpp"

#include <algorithm>

namespace shun::rrl {
namespace {

constexpr std::uint64_t kTimeBits = 40; // microseconds: wraps after 12.7 days, which staleness covers
constexpr std::uint64_t kTimeMask = (std::uint64_t { 1 } << kTimeBits) - 1;
constexpr std::uint64_t kTagMask = ~kTimeMask;
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
std::int64_t aheadOf(std::uint64_t word, std::uint64_t now, std::uint64_t limit) noexcept
{
  if (word == 0)
    return kStale;
  auto difference = static_cast<std::int64_t>(((word & kTimeMask) - now) & kTimeMask);
  if (difference >= std::int64_t { 1 } << (kTimeBits - 1))
    difference -= std::int64_t { 1 } << kTimeBits;
  return difference > static_cast<std::int64_t>(limit) ? kStale : difference;
}

// A key not in its first slot, a limited answer or a lost race: both slots are looked at, a new key takes
// the one whose bucket is fullest, and a compare-and-swap that keeps failing lets the answer through.
bool admitSlow(std::atomic<std::uint64_t>* table, std::size_t index, std::uint64_t tag, std::uint64_t nowUs,
    std::uint64_t interval, std::uint64_t tolerance) noexcept
{
  std::uint64_t now = nowUs & kTimeMask;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    std::atomic<std::uint64_t>* cell = &table[index];
    std::uint64_t old = cell->load(std::memory_order_relaxed);
    std::int64_t ahead = aheadOf(old, now, tolerance + interval);
    if ((old & kTagMask) != tag) {
      std::atomic<std::uint64_t>* other = &table[index ^ 1];
      std::uint64_t second = other->load(std::memory_order_relaxed);
      std::int64_t secondAhead = aheadOf(second, now, tolerance + interval);
      if ((second & kTagMask) == tag || secondAhead < ahead) {
        cell = other;
        old = second;
        ahead = secondAhead;
      }
      if ((old & kTagMask) != tag)
        ahead = kStale; // a new key takes over the slot whose bucket is fullest
    }
    if (ahead > static_cast<std::int64_t>(tolerance))
      return false; // limited answers take no token: the admitted rate stays exactly the rate
    std::uint64_t start = ahead > 0 ? now + static_cast<std::uint64_t>(ahead) : now;
    if (cell->compare_exchange_weak(old, tag | ((start + interval) & kTimeMask), std::memory_order_relaxed))
      return true;
  }
  return true; // another worker keeps winning this bucket: let the answer through rather than spin
}

} // namespace

Limiter::Limiter(const Settings& settings, std::uint64_t seed)
    : d_settings(settings)
    , d_exempt(settings.exempt)
    , d_mask(roundUpToPowerOfTwo(settings.tableSize) - 1)
    , d_seed(mix(seed | 1))
{
  d_settings.ipv4Prefix = std::clamp<std::uint8_t>(settings.ipv4Prefix, 1, 32); // keyOf's shifts need it
  d_settings.ipv6Prefix = std::clamp<std::uint8_t>(settings.ipv6Prefix, 1, 128);
  d_table = std::make_unique<std::atomic<std::uint64_t>[]>(d_mask + 1);
  for (std::size_t i = 0; i <= d_mask; ++i)
    d_table[i].store(0, std::memory_order_relaxed);
  std::uint64_t burst = std::clamp<std::uint64_t>(settings.burst, 1, 3600);
  for (std::size_t c = 0; c < kClasses; ++c) {
    std::uint64_t rate
        = c == static_cast<std::size_t>(AnswerClass::Error) ? settings.errorRate : settings.rate;
    rate = std::clamp<std::uint64_t>(rate, 1, kMicros);
    d_interval[c] = (kMicros + rate / 2) / rate;
    d_tolerance[c] = burst * kMicros - d_interval[c]; // a full bucket holds burst * rate tokens
  }
}

bool Limiter::exemptSlow(const query::ClientAddress& client) const noexcept
{
  for (const Prefix& prefix : d_exempt)
    if (prefix.contains(client))
      return true;
  return false;
}

// The client's prefix as one number; v4-mapped IPv6 clients share their IPv4 prefix's buckets.
std::uint64_t Limiter::keyOf(const query::ClientAddress& client) const noexcept
{
  if (!client.isV6) [[likely]]
    return client.v4 >> (32 - d_settings.ipv4Prefix); // prefixes are 1 to 32 (the constructor clamps)
  if ((client.v6 >> 32) == 0xffff)
    return static_cast<std::uint32_t>(client.v6) >> (32 - d_settings.ipv4Prefix);
  store::Ip6 bits = client.v6 >> (128 - d_settings.ipv6Prefix);
  return (static_cast<std::uint64_t>(bits >> 64) * 0x9e3779b97f4a7c15ull ^ static_cast<std::uint64_t>(bits))
      | std::uint64_t { 1 } << 63;
}

// The common case costs a hash, one load and one compare-and-swap: the key is in its first slot and
// its bucket has a token. Everything else (a new key, a limited answer, a lost race) goes the slow way.
bool Limiter::admit(const query::ClientAddress& client, AnswerClass answerClass, std::uint16_t zone,
    std::uint64_t nowUs) noexcept
{
  auto c = static_cast<std::size_t>(answerClass);
  std::uint64_t hash
      = mix((keyOf(client) ^ d_seed) * 0x9e3779b97f4a7c15ull + (std::uint64_t { zone } << 2 | c));
  std::uint64_t tag = (hash & kTagMask) | std::uint64_t { 1 } << kTimeBits; // never 0: 0 is an empty slot
  std::size_t index = hash & d_mask;
  std::atomic<std::uint64_t>& cell = d_table[index];
  std::uint64_t old = cell.load(std::memory_order_relaxed);
  if ((old & kTagMask) == tag) [[likely]] {
    // The bucket's time minus now, sign-extended from 40 bits (the tag bits shift out).
    std::int64_t ahead = static_cast<std::int64_t>((old - nowUs) << (64 - kTimeBits)) >> (64 - kTimeBits);
    std::uint64_t interval = d_interval[c];
    if (ahead <= static_cast<std::int64_t>(d_tolerance[c])) {
      std::uint64_t next = (ahead > 0 ? old : nowUs) + interval;
      if (cell.compare_exchange_weak(old, tag | (next & kTimeMask), std::memory_order_relaxed))
        return true;
    }
  }
  return admitSlow(d_table.get(), index, tag, nowUs, d_interval[c], d_tolerance[c]);
}

} // namespace shun::rrl
