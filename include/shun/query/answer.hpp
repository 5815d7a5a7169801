#pragma once

#include "shun/store/access_keys.hpp"
#include "shun/store/address.hpp"
#include "shun/store/snapshot.hpp"

#include <cstdint>
#include <span>
#include <string>

namespace shun::query {

/// The address a query came from (for acl datasets and "always listed" templates).
struct ClientAddress {
  bool isV6 = false;
  store::Ip4 v4 = 0;
  store::Ip6 v6 = 0;
};

enum class Transport : std::uint8_t { Udp, Tcp };

class ServerCookies;

/// What a query's COOKIE option (RFC 7873) was: none, a client cookie alone, one with a server cookie we
/// made (Valid) or did not (Invalid: forged, expired or another secret), or a wrong length (Malformed).
enum class CookieState : std::uint8_t { None, ClientOnly, Valid, Invalid, Malformed };
inline constexpr std::size_t kCookieStates = 5;

/// What version.bind / version.server answer (-v, -vv).
enum class VersionMode : std::uint8_t { Full, Short, Refuse };

/// Runtime answer settings (immutable for the life of a worker's batch).
struct AnswerOptions {
  bool minimalAnswers = false; ///< -a: no NS in AUTHORITY unless asked
  VersionMode version = VersionMode::Full;
  std::string versionText = "shun"; ///< answered for Full
  std::uint16_t maxUdpPayload = 1232; ///< upper bound on the client's EDNS size
  /// Keyed zones: a refused key gets REFUSED (0), or NOERROR with A 127.255.255.<this> and a TXT saying why.
  std::uint8_t accessRefusal = 0;
  /// DNS cookies (RFC 7873, RFC 9018): the worker's own signer; null: COOKIE options are ignored, as a
  /// server without cookies does (RFC 7873 section 5.2).
  ServerCookies* cookies = nullptr;
};

/// Facts about one answered query, for statistics and the query log.
struct Result {
  std::size_t length = 0; ///< bytes written to out; 0: drop the query silently
  std::uint8_t rcode = 0;
  std::uint16_t qtype = 0;
  const store::Zone* zone = nullptr; ///< null: no zone matched or packet malformed
  bool listed = false; ///< a positive DNSBL answer
  bool truncated = false; ///< TC was set
  bool malformed = false; ///< FORMERR or dropped as garbage
  std::uint16_t answerCount = 0;
  CookieState cookie = CookieState::None; ///< the query's COOKIE option (None when cookies are off)
  /// A well-formed COOKIE got no server cookie back: OpenSSL's SipHash failed (ServerCookies::failures).
  bool cookieFailed = false;
  /// Keyed zones: what the key label decided (Valid: the query carried a good key, e.g. to exempt it
  /// from rate limits); None elsewhere.
  store::AccessCheck access = store::AccessCheck::None;
  const store::AccessKey* accessKey = nullptr; ///< the key found (valid or refused), for its id
  std::uint16_t accessLabel = 0; ///< offset of the key label in the query (its length byte); 0: none

  /// True when the query named a valid access key of its keyed zone.
  bool validKey() const noexcept { return access == store::AccessCheck::Valid; }
};

/// What answer() will look up for a plain IPv4 query it answers on its direct lane: the zone and the
/// address, and where the question's parts end, so that answer() need not parse the question again.
/// zone null: a query it answers otherwise (nothing to fetch ahead). Valid for the query bytes and the
/// snapshot prefetchLookup saw only.
struct LookupHint {
  const store::Zone* zone = nullptr;
  store::Ip4 ip = 0;
  std::uint16_t addressEnd = 0; ///< offset of the first label after the address
  std::uint16_t zoneStart = 0; ///< addressEnd, or past an access key label there
  std::uint16_t nameEnd = 0; ///< past the question name's root label
  std::uint16_t qtype = 0;
  std::uint8_t keyLength = 0; ///< the key label's length; 0: none
  bool parsed = false; ///< set by prefetchLookup: then zone null says "not for the direct lane"
};

/// The DNS answer for one query: a pure function of the query bytes, the snapshot and now (unix
/// seconds). out must hold at least 65535 bytes for TCP or the UDP limit. hint: prefetchLookup's for
/// these bytes and this snapshot, or null; it saves parsing the question twice and changes no byte.
/// Never throws, never allocates.
Result answer(std::span<const std::uint8_t> query, const store::Snapshot& snapshot, std::int64_t now,
    const ClientAddress& client, Transport transport, const AnswerOptions& options,
    std::span<std::uint8_t> out, const LookupHint* hint = nullptr) noexcept;

/// Cache hints for a batch of queries, with no effect on any answer: call prefetchLookup for each query,
/// then prefetchLookupSlices for each hint, then answer them, so that their lookups' cache misses overlap.
/// prefetchLookup parses the query as answer() does and starts fetching the zone's map bucket lines.
LookupHint prefetchLookup(std::span<const std::uint8_t> query, const store::Snapshot& snapshot) noexcept;
/// Reads the buckets prefetchLookup fetched and starts fetching the lines each lookup reads next.
void prefetchLookupSlices(const LookupHint& hint) noexcept;

/// Rewrites the answer in out[0, length) as a rate limiter's "slip": header, question and OPT kept,
/// ANSWER and AUTHORITY dropped, TC set so that the client retries over TCP; with badCookie (the client
/// sent a cookie) RCODE BADCOOKIE instead of TC, so that it retries with the fresh server cookie the OPT
/// carries (RFC 7873 section 5.2.2). Returns the new length; 0 if out does not hold an answer of ours.
std::size_t slipAnswer(std::span<std::uint8_t> out, std::size_t length, bool badCookie) noexcept;

} // namespace shun::query
