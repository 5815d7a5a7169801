#pragma once

#include "query/plan.hpp"
#include "query/writer.hpp"
#include "shun/query/cookies.hpp"

namespace shun::query::detail {

/// Judges the query's COOKIE option (RFC 7873 section 5.2, RFC 9018) and fills reply with what the answer
/// carries: a malformed option makes the plan FORMERR with no cookie; otherwise the client cookie and
/// either the client's still fresh valid server cookie or a new one. Never allocates.
void answerCookie(std::span<const std::uint8_t> query, const wire::ParsedQuery& parsed,
    const ClientAddress& client, std::int64_t now, ServerCookies& cookies, AnswerPlan& plan,
    CookieReply& reply) noexcept;

} // namespace shun::query::detail
