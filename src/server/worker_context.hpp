#pragma once

#include "server/descriptors.hpp"
#include "server/query_log.hpp"
#include "server/snapshot_holder.hpp"
#include "server/tcp_clients.hpp"
#include "shun/metrics/counters.hpp"
#include "shun/query/answer.hpp"
#include "shun/query/cookies.hpp"
#include "shun/rrl/rrl.hpp"
#include "shun/xfr/xfr.hpp"

#include <atomic>
#include <memory>
#include <optional>
#include <span>
#include <sys/socket.h>

namespace shun::server {

/// Settings and shared objects every worker reads; owned by server::run, outlives the workers.
struct WorkerShared {
  explicit WorkerShared(SnapshotHolder& snapshots)
      : holder(snapshots)
  {
  }
  SnapshotHolder& holder;
  query::AnswerOptions answer;
  const QueryLogFile* queryLog = nullptr; ///< null: no query log
  std::atomic<bool> stop { false };
  std::atomic<std::uint32_t> tcpConnections { 0 }; ///< open TCP connections, all workers
  std::uint32_t tcpMaxConnections = 1024;
  TcpClientCounts tcpClients { 16 }; ///< open TCP connections per client address
  ThrottledWarning acceptWarning { 10 }; ///< accept failures (out of descriptors), once per 10 s
  std::atomic<std::uint64_t> tcpRefusedLimit { 0 }, tcpRefusedPerClient { 0 }, tcpAcceptPauses { 0 };
  std::uint32_t tcpIdleTimeout = 10; ///< seconds
  xfr::Service* xfr = nullptr; ///< zone transfers over TCP; null: answered by query:: (refused)
  query::SharedCookieSecrets cookieSecrets; ///< DNS cookies' secrets (rotated by SIGHUP); empty: off
  rrl::Limiter* limiter = nullptr; ///< response rate limiting over UDP; null: off
};

/// The per-worker packet path shared by UDP and TCP: current snapshot, clock, counters, query log.
/// Used by its worker thread only, except counters (read by any thread).
class WorkerContext {
public:
  WorkerContext(std::size_t index, WorkerShared& shared);
  std::size_t index() const noexcept { return d_index; }
  /// Picks up a newly published snapshot and reads the clock. Call at the start of each batch.
  void refresh() noexcept;
  /// Answers one query from client into out, counts it and logs it. result.length 0: send nothing.
  /// hint: prefetch()'s for these bytes since the last refresh(), or null.
  query::Result handle(std::span<const std::uint8_t> query, const sockaddr* client,
      query::Transport transport, std::span<std::uint8_t> out,
      const query::LookupHint* hint = nullptr) noexcept;
  /// Starts fetching what handle() will look up for query (query::prefetchLookup); changes nothing.
  query::LookupHint prefetch(std::span<const std::uint8_t> query) const noexcept
  {
    return query::prefetchLookup(query, *d_snapshot);
  }
  void flushLog() noexcept;
  WorkerShared& shared() noexcept { return d_shared; }
  metrics::WorkerCounters& counters() noexcept { return *d_counters; }
  std::int64_t now() const noexcept { return d_now; }
  /// Sets the rate limiter's clock (microseconds) after refresh(): for tests.
  void setMonotonicMicros(std::uint64_t micros) noexcept
  {
    d_instant = rrl::instantOf(micros);
    d_clockNanos = -1; // the next refresh() reads the real clock again
  }
  /// The snapshot picked up by the last refresh() (null before any), for a transfer to hold.
  std::shared_ptr<const store::Snapshot> snapshot() const noexcept
  {
    return d_state ? d_state->snapshot : nullptr;
  }

private:
  void limit(query::Result& result, const query::ClientAddress& client, std::uint16_t zoneSlot,
      std::span<std::uint8_t> out) noexcept;
  void limitOver(
      query::Result& result, const query::ClientAddress& client, std::span<std::uint8_t> out) noexcept;
  void logLimited(const query::Result& result, const query::ClientAddress& client, bool logOnly) noexcept;
  std::size_t d_index;
  WorkerShared& d_shared;
  std::shared_ptr<const ServingState> d_state;
  /// d_state's snapshot, or an empty one: read for every query without testing d_state.
  const store::Snapshot* d_snapshot;
  std::uint64_t d_generation = 0;
  std::int64_t d_now = 0;
  std::unique_ptr<metrics::WorkerCounters> d_counters;
  std::optional<QueryLogBuffer> d_log;
  rrl::Instant d_instant; ///< the rate limiter's clock, wall time in its units (read when it is on)
  long d_clockNanos = -1; ///< the coarse clock's tv_nsec that d_instant was made from
  std::unique_ptr<query::ServerCookies> d_cookies; ///< this thread's: it holds an OpenSSL context
  query::AnswerOptions d_answer; ///< the shared options with this thread's cookies
  rrl::SlipCounter d_slip;
  std::int64_t d_limitLoggedAt = 0;
};

} // namespace shun::server
