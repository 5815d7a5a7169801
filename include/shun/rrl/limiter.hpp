#pragma once

#include "shun/rrl/rrl.hpp"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace shun::rrl {

/// Token buckets as a generic cell rate algorithm: a bucket is one 64-bit word (a 24-bit key tag and the
/// time, in microseconds, when it will be full again), so taking a token is one compare-and-swap. One
/// fixed table for all UDP workers (a client's queries spread over the workers' sockets); two slots per
/// key; a key that finds neither takes the slot that is fullest. No allocation after construction. The
/// usual answer (an IPv4 client whose bucket sits in its first slot and has a token) is taken inline.
class Limiter {
public:
  /// seed: keys the hash (random in shund, so that no one can aim collisions).
  Limiter(const Settings& settings, std::uint64_t seed);
  /// True when client lies in an exempt range.
  bool exempt(const query::ClientAddress& client) const noexcept { return d_anyExempt && exemptSlow(client); }
  /// Takes a token for client's prefix, answerClass and zone (a stable zone number) at nowUs (a
  /// clock in microseconds that does not run backwards by much). False: over the rate, limit this answer.
  /// Any thread.
  bool admit(const query::ClientAddress& client, AnswerClass answerClass, std::uint16_t zone,
      std::uint64_t nowUs) noexcept
  {
    auto c = static_cast<std::size_t>(answerClass);
    std::uint64_t hash
        = hashOf(client.isV6 ? keyOf6(client) : client.v4 >> d_v4Shift, std::uint64_t { zone } << 2 | c);
    std::uint64_t tag = (hash & kTagMask) | kTagBit;
    std::size_t index = hash & d_mask;
    std::atomic<std::uint64_t>& cell = d_table[index];
    std::uint64_t old = cell.load(std::memory_order_relaxed);
    if (((old ^ tag) >> kTimeBits) == 0) [[likely]] { // the same tag
      // The bucket's time minus now, sign-extended from 40 bits (the tag bits shift out).
      auto ahead = static_cast<std::int64_t>((old - nowUs) << (64 - kTimeBits)) >> (64 - kTimeBits);
      if (ahead <= d_tolerance[c]) {
        std::uint64_t next = (ahead > 0 ? old : nowUs) + d_interval[c];
        if (cell.compare_exchange_weak(old, tag | (next & kTimeMask), std::memory_order_relaxed))
          return true;
      }
    }
    return admitSlow(index, tag, nowUs, c);
  }
  const Settings& settings() const noexcept { return d_settings; }

  /// A bucket's word: the time in its low kTimeBits (microseconds: wraps after 12.7 days, which
  /// staleness covers), the tag above (never 0: 0 is an empty slot).
  static constexpr std::uint64_t kTimeBits = 40;
  static constexpr std::uint64_t kTimeMask = (std::uint64_t { 1 } << kTimeBits) - 1;
  static constexpr std::uint64_t kTagMask = ~kTimeMask;
  static constexpr std::uint64_t kTagBit = std::uint64_t { 1 } << kTimeBits;

private:
  // One multiply: both halves of the 128-bit product of the keyed prefix and the keyed zone and class,
  // folded (as wyhash does); the tag comes from the high bits, the slot from the low ones.
  std::uint64_t hashOf(std::uint64_t prefix, std::uint64_t zoneAndClass) const noexcept
  {
    auto product = static_cast<unsigned __int128>(prefix ^ d_seed) * (zoneAndClass ^ d_seed2);
    return static_cast<std::uint64_t>(product) ^ static_cast<std::uint64_t>(product >> 64);
  }
  bool exemptSlow(const query::ClientAddress& client) const noexcept;
  std::uint64_t keyOf6(const query::ClientAddress& client) const noexcept;
  bool admitSlow(std::size_t index, std::uint64_t tag, std::uint64_t nowUs, std::size_t c) noexcept;

  Settings d_settings;
  std::vector<Prefix> d_exempt;
  bool d_anyExempt = false;
  unsigned d_v4Shift = 8; ///< 32 - the IPv4 prefix length
  std::unique_ptr<std::atomic<std::uint64_t>[]> d_table;
  std::size_t d_mask;
  std::uint64_t d_seed, d_seed2;
  std::uint64_t d_interval[kClasses]; ///< microseconds per token
  std::int64_t d_tolerance[kClasses]; ///< how far ahead of now a bucket may be and still admit
};

} // namespace shun::rrl
