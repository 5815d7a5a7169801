#include "shun/query/answer.hpp"

#include "query/cookie_reply.hpp"
#include "query/fast_path.hpp"
#include "query/resolve.hpp"
#include "query/writer.hpp"

namespace shun::query {

Result answer(std::span<const std::uint8_t> query, const store::Snapshot& snapshot, std::int64_t now,
    const ClientAddress& client, Transport transport, const AnswerOptions& options,
    std::span<std::uint8_t> out, const LookupHint* hint) noexcept
{
  if (auto fast = detail::answerPlainIp4(query, snapshot, now, transport, options, out, hint))
    return *fast; // a key it found is counted
  wire::ParsedQuery parsed;
  wire::parseQuery(query, parsed);
  if (parsed.status == wire::ParseStatus::Drop) {
    Result dropped;
    dropped.malformed = true;
    return dropped;
  }
  detail::AnswerPlan plan;
  detail::resolve(parsed, snapshot, now, client, options, plan);
  detail::CookieReply cookie;
  if (parsed.status == wire::ParseStatus::Ok && parsed.cookieLength != 0 && options.cookies
      && plan.outcome == detail::Outcome::Answer) [[unlikely]]
    detail::answerCookie(query, parsed, client, now, *options.cookies, plan, cookie);
  Result result = detail::writeAnswer(query, parsed, plan, transport, options, out, cookie);
  if (result.accessKey)
    store::AccessKeySet::count(*result.accessKey, result.access, now);
  result.malformed = result.malformed || cookie.state == CookieState::Malformed;
  result.cookieFailed
      = cookie.state != CookieState::None && cookie.state != CookieState::Malformed && cookie.length == 0;
  return result;
}

} // namespace shun::query
