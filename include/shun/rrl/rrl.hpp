#pragma once

#include "shun/query/answer.hpp"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace shun::rrl {

/// What kind of answer a token is taken for: each has its own bucket per client prefix and zone.
enum class AnswerClass : std::uint8_t {
  Answer, ///< NOERROR with records (a listed key)
  NxDomain, ///< not listed: the usual DNSBL answer
  NoData, ///< NOERROR without records
  Error, ///< REFUSED, FORMERR, SERVFAIL, NOTIMP and the rest
};
inline constexpr std::size_t kClasses = 4;

/// The class of an answer query::answer wrote.
AnswerClass classify(const query::Result& result) noexcept;
/// "answer", "nxdomain", "nodata", "error".
const char* className(AnswerClass answerClass) noexcept;

/// An address range ("192.0.2.0/24", "2001:db8::/32"); IPv4 ranges match IPv4 and v4-mapped clients.
struct Prefix {
  bool isV6 = false;
  store::Ip6 bits = 0; ///< IPv4 in the low 32 bits
  std::uint8_t length = 0;
  bool contains(const query::ClientAddress& client) const noexcept;
};

/// Parses "addr[/len]". Throws std::invalid_argument with a reason.
Prefix parsePrefix(std::string_view text);

/// Response rate limiting settings (--rrl and its companions). Off by default: a private list serves
/// its own resolvers. The rates are per client prefix, zone and answer class, so one busy resolver asking
/// 1,000 unlisted keys a second stays far below them.
struct Settings {
  bool enabled = false;
  bool logOnly = false; ///< count and log what would be limited, limit nothing
  std::uint32_t rate = 2000; ///< answers a second per prefix, zone and class (answer, NXDOMAIN, NODATA)
  std::uint32_t errorRate = 100; ///< the same for errors (REFUSED, FORMERR, ...)
  std::uint32_t burst = 1; ///< seconds of the rate a quiet prefix may use at once
  std::uint32_t slip = 2; ///< every slip-th limited answer goes out truncated (TC); 0: none; 1: all
  std::uint8_t ipv4Prefix = 24, ipv6Prefix = 56; ///< client addresses share a bucket within these
  std::uint32_t tableSize = 1u << 18; ///< buckets (8 bytes each), rounded up to a power of two
  std::vector<Prefix> exempt; ///< never limited
};

/// Token buckets as a generic cell rate algorithm: a bucket is one 64-bit word (a 24-bit key tag and the
/// time, in microseconds, when it will be full again), so taking a token is one compare-and-swap. One
/// fixed table for all UDP workers (a client's queries spread over the workers' sockets); two slots per
/// key; a key that finds neither takes the slot that is fullest. No allocation after construction.
class Limiter {
public:
  /// seed: keys the hash (random in shund, so that no one can aim collisions).
  Limiter(const Settings& settings, std::uint64_t seed);
  /// True when client lies in an exempt range.
  bool exempt(const query::ClientAddress& client) const noexcept
  {
    return !d_exempt.empty() && exemptSlow(client);
  }
  /// Takes a token for client's prefix, answerClass and zone (a stable zone number) at nowUs (a
  /// clock in microseconds that does not run backwards by much). False: over the rate, limit this answer.
  /// Any thread.
  bool admit(const query::ClientAddress& client, AnswerClass answerClass, std::uint16_t zone,
      std::uint64_t nowUs) noexcept;
  const Settings& settings() const noexcept { return d_settings; }

private:
  bool exemptSlow(const query::ClientAddress& client) const noexcept;
  std::uint64_t keyOf(const query::ClientAddress& client) const noexcept;
  Settings d_settings;
  std::vector<Prefix> d_exempt;
  std::unique_ptr<std::atomic<std::uint64_t>[]> d_table;
  std::size_t d_mask;
  std::uint64_t d_seed;
  std::uint64_t d_interval[kClasses]; ///< microseconds per token
  std::uint64_t d_tolerance[kClasses]; ///< how far ahead of now a bucket may be and still admit
};

/// What a worker does with a limited answer: every slip-th is sent truncated, the others are dropped.
enum class Action : std::uint8_t { Slip, Drop };

/// Counts one worker's limited answers to choose slips. Worker thread only.
class SlipCounter {
public:
  Action next(std::uint32_t slip) noexcept
  {
    if (slip == 0)
      return Action::Drop;
    if (++d_count >= slip) {
      d_count = 0;
      return Action::Slip;
    }
    return Action::Drop;
  }

private:
  std::uint32_t d_count = 0;
};

} // namespace shun::rrl
