#include "server/worker_context.hpp"

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

const store::Snapshot& emptySnapshot() noexcept
{
  static const store::Snapshot empty;
  return empty;
}

} // namespace

WorkerContext::WorkerContext(std::size_t index, WorkerShared& shared)
    : d_index(index)
    , d_shared(shared)
    , d_counters(std::make_unique<metrics::WorkerCounters>())
{
  if (shared.queryLog)
    d_log.emplace(*shared.queryLog);
}

void WorkerContext::refresh() noexcept
{
  d_now = static_cast<std::int64_t>(std::time(nullptr));
  auto generation = d_shared.holder.generation();
  if (generation == d_generation && d_state)
    return;
  d_state = d_shared.holder.load();
  d_generation = d_state ? d_state->generation : 0;
  d_shared.holder.reportSeen(d_index, d_generation); // the older state is no longer held here
}

query::Result WorkerContext::handle(std::span<const std::uint8_t> query, const sockaddr* client,
    query::Transport transport, std::span<std::uint8_t> out) noexcept
{
  const store::Snapshot& snapshot = d_state && d_state->snapshot ? *d_state->snapshot : emptySnapshot();
  auto result = query::answer(query, snapshot, d_now, clientAddress(client), transport, d_shared.answer, out);
  if (d_shared.xfr && result.length > 0 && d_shared.xfr->maySign(query, result.qtype)) [[unlikely]]
    result.length = d_shared.xfr->signAnswer(query, out, result.length, d_now); // a secondary's SOA query
  auto slot = d_state ? d_state->slotOf(result.zone) : metrics::kNoZoneSlot;
  d_counters->count(transport, result, query.size(), slot);
  if (d_log && result.length > 0)
    d_log->log(d_now, client, query, result);
  return result;
}

void WorkerContext::flushLog() noexcept
{
  if (d_log)
    d_log->flush();
}

} // namespace shun::server
