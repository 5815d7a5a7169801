#pragma once

#include "shun/query/answer.hpp"
#include "shun/wire/message.hpp"

#include <cstddef>
#include <cstdint>
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
inline AnswerClass classify(const query::Result& result) noexcept
{
  if (result.rcode == wire::dns::kNxDomain)
    return AnswerClass::NxDomain;
  if (result.rcode != wire::dns::kNoError)
    return AnswerClass::Error;
  return result.answerCount > 0 ? AnswerClass::Answer : AnswerClass::NoData;
}

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

/// Bits of a bucket's word below its time: the key's tag (shun/rrl/limiter.hpp).
inline constexpr unsigned kTagBits = 24;

/// A moment in the limiter's own units: microseconds shifted above a bucket's tag, so that a bucket's
/// word minus it gives the tag test and the time ahead at once. Made once per batch.
struct Instant {
  std::uint64_t word = 0;
};

/// nowUs (a clock in microseconds that does not run backwards by much) in the limiter's units.
constexpr Instant instantOf(std::uint64_t nowUs) noexcept
{
  return { nowUs << kTagBits };
}

/// The token buckets (shun/rrl/limiter.hpp, which only the packet path and its tests need).
class Limiter;

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
