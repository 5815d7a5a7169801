#pragma once

#include "shun/rrl/rrl.hpp"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace shun::rrl {

/// Token buckets as a generic cell rate algorithm: a bucket is one 64-bit word (the time, in
/// microseconds, when it will be full again, above a 24-bit key tag), so taking a token is one
/// compare-and-swap. One fixed table for all UDP workers (a client's queries spread over the workers'
/// sockets); two slots per key; a key that finds neither takes the slot that is fullest. No allocation
/// after construction. The usual answer (an IPv4 client outside the exempt ranges whose bucket sits in
/// its first slot and has a token) is taken inline.
class Limiter {
public:
  /// seed: keys the hash (random in shund, so that no one can aim collisions).
  Limiter(const Settings& settings, std::uint64_t seed);
  /// True when client lies in an exempt range.
  bool exempt(const query::ClientAddress& client) const noexcept { return d_anyExempt && exemptSlow(client); }
  /// Takes a token for client's prefix, answerClass and zone (a stable zone number) at nowUs (a clock in
  /// microseconds that does not run backwards by much). True: answer
  /// (clients in an exempt range always are, and take no token); false: over the rate, limit this answer.
  /// Any thread.
  bool admit(const query::ClientAddress& client, AnswerClass answerClass, std::uint16_t zone,
      std::uint64_t nowUs) noexcept
  {
    return admit(client, answerClass, zone, instantOf(nowUs));
  }
  /// The same at now, made by instantOf.
  bool admit(
      const query::ClientAddress& client, AnswerClass answerClass, std::uint16_t zone, Instant now) noexcept
  {
    auto c = static_cast<std::size_t>(answerClass);
    if (client.isV6 | d_anyExempt) [[unlikely]] // one test for both: IPv4 outside exempt ranges is usual
      return admitOther(client, c, zone, now);
    std::uint64_t hash = hashOf(client.v4 & d_v4Mask, zone, c);
    std::size_t index = hash & d_mask;
    std::uint64_t tagged = now.word | hash >> (64 - kTagBits); // now with this key's tag
    std::atomic<std::uint64_t>& cell = d_table[index];
    std::uint64_t old = cell.load(std::memory_order_relaxed);
    // The same tag leaves the low bits 0; above them, how far the bucket's time is ahead of now (the
    // 40-bit difference, sign and all, scaled as the tolerance and interval are).
    auto ahead = static_cast<std::int64_t>(old - tagged);
    if ((ahead & kTagMask) == 0 && ahead <= d_tolerance[c]) [[likely]] {
      if (cell.compare_exchange_weak(
              old, (ahead > 0 ? old : tagged) + d_interval[c], std::memory_order_relaxed))
        return true;
    }
    // admitOther finds the same bucket again: only values live anyway cross the compare-and-swap, so
    // the inline part keeps nothing on the stack for this rare call.
    return admitOther(client, c, zone, now);
  }
  const Settings& settings() const noexcept { return d_settings; }

  /// A bucket's word: the time in its high kTimeBits (microseconds: wraps after 12.7 days, which
  /// staleness covers, and a carry leaves the word), the key's tag in the low kTagBits; 0 is an empty
  /// slot.
  static constexpr unsigned kTagBits = rrl::kTagBits;
  static constexpr unsigned kTimeBits = 64 - kTagBits;
  static constexpr std::uint64_t kTagMask = (std::uint64_t { 1 } << kTagBits) - 1;

private:
  // One multiply: both halves of the 128-bit product of the keyed prefix and the keyed zone and class,
  // folded (as wyhash does); the tag comes from the high bits, the slot from the low ones.
  std::uint64_t hashOf(std::uint64_t prefix, std::uint16_t zone, std::size_t c) const noexcept
  {
    std::uint64_t low = prefix ^ d_seed, high = 0, factor = zone ^ d_classSeed[c];
#if defined(__x86_64__) && defined(__GNUC__)
    // The same product as below in one mulq: GCC took the inlined __int128 through the stack in
    // UdpBatch::drain (three moves a query).
    asm("mulq %[factor]" : "+a"(low), "=d"(high) : [factor] "rm"(factor) : "cc");
#else
    auto product = static_cast<unsigned __int128>(low) * factor;
    low = static_cast<std::uint64_t>(product);
    high = static_cast<std::uint64_t>(product >> 64);
#endif
    return low ^ high;
  }
  bool exemptSlow(const query::ClientAddress& client) const noexcept;
  std::uint64_t keyOf6(const query::ClientAddress& client) const noexcept;
  [[gnu::noinline]] bool admitOther(
      const query::ClientAddress& client, std::size_t c, std::uint16_t zone, Instant now) noexcept;
  bool admitSlow(std::size_t index, std::uint64_t tagged, std::size_t c) noexcept;

  Settings d_settings;
  std::vector<Prefix> d_exempt;
  bool d_anyExempt = false;
  std::uint32_t d_v4Mask = 0xffffff00; ///< the IPv4 prefix's bits
  std::unique_ptr<std::atomic<std::uint64_t>[]> d_table;
  std::size_t d_mask;
  std::uint64_t d_seed;
  std::uint64_t d_classSeed[kClasses]; ///< keys the zone and class: a second seed with the class above bit 16
  std::uint64_t d_interval[kClasses]; ///< microseconds per token, shifted as an Instant
  std::int64_t d_tolerance[kClasses]; ///< how far ahead of now a bucket may be and still admit, shifted
};

} // namespace shun::rrl
