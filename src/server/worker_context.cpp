#include "server/worker_context.hpp"

#include "server/log.hpp"
#include "shun/rrl/limiter.hpp"

#include <arpa/inet.h>
#include <cstring>
#include <ctime>
#include <netinet/in.h>

namespace shun::server {

namespace {

query::ClientAddress clientAddress(const sockaddr* client) noexcept
{
  query::ClientAddress address;
  if (client->sa_family == AF_INET) {
    address.v4 = ntohl(reinterpret_cast<const sockaddr_in*>(client)->sin_addr.s_addr);
  } else if (client->sa_family == AF_INET6) {
    address.isV6 = true;
    const auto& bytes = reinterpret_cast<const sockaddr_in6*>(client)->sin6_addr.s6_addr;
    for (auto byte : bytes)
      address.v6 = address.v6 << 8 | byte;
  }
  return address;
}

// "192.0.2.0/24" or "2001:db8:1:200::/56": the prefix a client's answers are limited as.
std::string prefixText(const query::ClientAddress& client, const rrl::Settings& settings)
{
  char text[INET6_ADDRSTRLEN];
  bool mapped = client.isV6 && (client.v6 >> 32) == 0xffff;
  if (!client.isV6 || mapped) {
    auto v4 = static_cast<std::uint32_t>(mapped ? client.v6 : client.v4);
    in_addr address { htonl(settings.ipv4Prefix >= 32 ? v4 : v4 & ~(0xffffffffu >> settings.ipv4Prefix)) };
    inet_ntop(AF_INET, &address, text, sizeof text);
    return std::string(text) + "/" + std::to_string(settings.ipv4Prefix);
  }
  unsigned length = settings.ipv6Prefix;
  store::Ip6 bits = length >= 128 ? client.v6 : client.v6 & ~(~store::Ip6(0) >> length);
  in6_addr address;
  for (int i = 15; i >= 0; --i, bits >>= 8)
    address.s6_addr[i] = static_cast<std::uint8_t>(bits);
  inet_ntop(AF_INET6, &address, text, sizeof text);
  return std::string(text) + "/" + std::to_string(length);
}

const store::Snapshot& emptySnapshot() noexcept
{
  static const store::Snapshot empty;
  return empty;
}

} // namespace

WorkerContext::WorkerContext(std::size_t index, WorkerShared& shared)
    : d_index(index)
    , d_shared(shared)
    , d_snapshot(&emptySnapshot())
    , d_counters(std::make_unique<metrics::WorkerCounters>())
    , d_answer(shared.answer)
{
  if (shared.queryLog)
    d_log.emplace(*shared.queryLog);
  if (!shared.cookieSecrets.empty())
    d_cookies = std::make_unique<query::ServerCookies>(shared.cookieSecrets);
  d_answer.cookies = d_cookies.get();
}

void WorkerContext::refresh() noexcept
{
  if (d_shared.limiter) {
    // One clock read for both: the wall clock, coarse (a few ms), is good enough for the buckets, which
    // keep exact sums; a step back makes a bucket look ahead by the step, and past a token's worth it is
    // taken for stale (full).
    timespec clock;
    clock_gettime(CLOCK_REALTIME_COARSE, &clock);
    // The coarse clock moves once a kernel tick (1-4 ms): the wake-ups of a busy worker often find it
    // where the last one did, and keep the conversion it made.
    if (clock.tv_nsec != d_clockNanos || clock.tv_sec != d_now) [[unlikely]] {
      d_clockNanos = clock.tv_nsec;
      d_now = static_cast<std::int64_t>(clock.tv_sec);
      d_instant = rrl::instantOf(static_cast<std::uint64_t>(clock.tv_sec) * 1000000
          + static_cast<std::uint64_t>(clock.tv_nsec) / 1000); // once a batch, not per query
    }
  } else {
    d_now = static_cast<std::int64_t>(std::time(nullptr));
  }
  auto generation = d_shared.holder.generation();
  if (generation == d_generation && d_state)
    return;
  d_state = d_shared.holder.load();
  d_snapshot = d_state && d_state->snapshot ? d_state->snapshot.get() : &emptySnapshot();
  d_generation = d_state ? d_state->generation : 0;
  d_shared.holder.reportSeen(d_index, d_generation); // the older state is no longer held here
}

query::Result WorkerContext::handle(std::span<const std::uint8_t> query, const sockaddr* client,
    query::Transport transport, std::span<std::uint8_t> out, const query::LookupHint* hint) noexcept
{
  query::ClientAddress address = clientAddress(client);
  auto result = query::answer(query, *d_snapshot, d_now, address, transport, d_answer, out, hint);
  if (d_shared.xfr && result.length > 0 && d_shared.xfr->maySign(query, result.qtype)) [[unlikely]]
    result.length = d_shared.xfr->signAnswer(query, out, result.length, d_now); // a secondary's SOA query
  auto slot = d_state ? d_state->slotOf(result.zone) : metrics::kNoZoneSlot;
  if (d_shared.limiter && transport == query::Transport::Udp && result.length > 0)
    limit(result, address, slot, out); // TCP proves the address: never limited
  d_counters->count(transport, result, query.size(), slot);
  if (d_log && result.length > 0)
    d_log->log(d_now, client, query, result);
  return result;
}

// Response rate limiting (rrl/): clients with a valid cookie or key, and exempt ranges (admit), are not
// counted. Inline in handle: a token taken; limitOver: the rest.
void WorkerContext::limit(query::Result& result, const query::ClientAddress& client, std::uint16_t zoneSlot,
    std::span<std::uint8_t> out) noexcept
{
  if (result.cookie == query::CookieState::Valid || result.validKey())
    return;
  if (d_shared.limiter->admit(client, rrl::classify(result), zoneSlot, d_instant)) [[likely]]
    return;
  limitOver(result, client, out);
}

// An answer over the rate: logged, then counted only (log-only), dropped or slipped.
[[gnu::noinline]] void WorkerContext::limitOver(
    query::Result& result, const query::ClientAddress& client, std::span<std::uint8_t> out) noexcept
{
  const rrl::Settings& settings = d_shared.limiter->settings();
  bool logOnly = settings.logOnly;
  logLimited(result, client, logOnly);
  if (logOnly) {
    d_counters->countLimited(metrics::Limited::LogOnly);
    return;
  }
  if (d_slip.next(settings.slip) == rrl::Action::Drop) {
    d_counters->countLimited(metrics::Limited::Dropped);
    result.length = 0;
    return;
  }
  // A client that sent a cookie is told BADCOOKIE with a fresh one: it retries with it and is exempt.
  bool badCookie
      = result.cookie == query::CookieState::ClientOnly || result.cookie == query::CookieState::Invalid;
  result.length = query::slipAnswer(out, result.length, badCookie);
  result.truncated = !badCookie;
  result.answerCount = 0;
  result.listed = false;
  d_counters->countLimited(result.length > 0 ? metrics::Limited::Slipped : metrics::Limited::Dropped);
}

// One line per worker every 10 s at most: a flood must not flood the log. (It allocates, but only then.)
void WorkerContext::logLimited(
    const query::Result& result, const query::ClientAddress& client, bool logOnly) noexcept
{
  if (d_now < d_limitLoggedAt + 10)
    return;
  d_limitLoggedAt = d_now;
  try {
    logLine(LogLevel::Info,
        std::string(logOnly ? "rate limit (log only): would limit " : "rate limit: limiting ")
            + rrl::className(rrl::classify(result)) + " answers to "
            + prefixText(client, d_shared.limiter->settings())
            + (result.zone ? " in zone " + result.zone->text : std::string()));
  } catch (...) { // out of memory: the line is lost, the answer is not
  }
}

void WorkerContext::flushLog() noexcept
{
  if (d_log)
    d_log->flush();
}

} // namespace shun::server
