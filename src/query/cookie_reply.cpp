#include "query/cookie_reply.hpp"

#include <cstring>

namespace shun::query::detail {
namespace {

// RFC 7873 section 5.2.2: a COOKIE option is a client cookie of 8 bytes, alone or followed by a server
// cookie of 8 to 32 bytes. Anything else is FORMERR.
bool wellFormed(std::size_t length) noexcept
{
  return length == kClientCookieSize || (length >= kClientCookieSize + 8 && length <= kClientCookieSize + 32);
}

void formErr(AnswerPlan& plan) noexcept
{
  plan.rcode = wire::dns::kFormErr;
  plan.count = 0;
  plan.overflow = false;
  plan.authority = Authority::None;
}

} // namespace

void answerCookie(std::span<const std::uint8_t> query, const wire::ParsedQuery& parsed,
    const ClientAddress& client, std::int64_t now, ServerCookies& cookies, AnswerPlan& plan,
    CookieReply& reply) noexcept
{
  if (!wellFormed(parsed.cookieLength)) {
    reply.state = CookieState::Malformed;
    formErr(plan);
    return;
  }
  const std::uint8_t* clientCookie = query.data() + parsed.cookieOffset;
  const std::uint8_t* serverCookie = clientCookie + kClientCookieSize;
  std::size_t serverLength = parsed.cookieLength - kClientCookieSize;
  std::memcpy(reply.data, clientCookie, kClientCookieSize);
  if (serverLength == 0)
    reply.state = CookieState::ClientOnly;
  else if (cookies.verify(clientCookie, serverCookie, serverLength, client, now))
    reply.state = CookieState::Valid;
  else
    reply.state = CookieState::Invalid;
  // A valid cookie under half an hour old is returned as it came (RFC 9018 section 4.3); any other
  // client gets a new one, whatever the old one was (section 5.2.3: it is discarded).
  if (reply.state == CookieState::Valid && !ServerCookies::wantsRenewal(serverCookie, now)) {
    std::memcpy(reply.data + kClientCookieSize, serverCookie, kServerCookieSize);
    reply.length = kClientCookieSize + kServerCookieSize;
    return;
  }
  if (cookies.make(clientCookie, client, now, reply.data + kClientCookieSize))
    reply.length = kClientCookieSize + kServerCookieSize;
}

} // namespace shun::query::detail
