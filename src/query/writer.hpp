#pragma once

#include "query/plan.hpp"
#include "shun/query/answer.hpp"
#include "shun/wire/message.hpp"

namespace shun::query::detail {

/// Where the zone's name lies in the packet (the end of the question): names in SOA and NS RDATA that
/// end in it are written as a pointer there, as rbldnsd does, which keeps negative answers small.
struct ZoneInPacket {
  std::string_view name; ///< lower-case wire name; empty: no zone, nothing to point at
  std::uint16_t offset = 0;
};

/// The COOKIE option of an answer (RFC 7873 section 5.2): the client cookie and a server cookie; none
/// when length is 0.
struct CookieReply {
  CookieState state = CookieState::None;
  std::uint8_t length = 0; ///< 0 or 24: bytes of data
  std::uint8_t data[24]; ///< client cookie, then server cookie
};

/// The largest response allowed: 65535 over TCP; over UDP the client's EDNS size clamped to
/// [512, options.maxUdpPayload], or 512 without EDNS (RFC 6891 §6.2.3, §6.2.5).
std::size_t responseLimit(
    const wire::ParsedQuery& query, Transport transport, const AnswerOptions& options) noexcept;

/// The UDP size our OPT RR advertises.
std::uint16_t advertisedUdpSize(const AnswerOptions& options) noexcept;

/// The smallest TTL of the planned answers of type (RFC 2181 §5.2: one TTL per RRset).
std::uint32_t rrsetTtl(const AnswerPlan& plan, std::uint16_t type) noexcept;

/// TTL of the SOA in a negative answer (RFC 2308 §5: min of the SOA TTL and MINIMUM).
std::uint32_t negativeTtl(const store::SoaData& soa) noexcept;

/// The hand-written writer: header, question echoed as sent, planned sections with owners compressed
/// to the question, TC when the answer does not fit, OPT when the query had one (with cookie's COOKIE
/// option, if any). Never allocates.
Result writeAnswer(std::span<const std::uint8_t> query, const wire::ParsedQuery& parsed,
    const AnswerPlan& plan, Transport transport, const AnswerOptions& options, std::span<std::uint8_t> out,
    const CookieReply& cookie = {}) noexcept;

} // namespace shun::query::detail
