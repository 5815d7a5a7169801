#pragma once

#include "shun/store/snapshot.hpp"
#include "shun/xfr/settings.hpp"
#include "shun/zone/records.hpp"

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <sys/socket.h>
#include <vector>

// Zone transfers (RFC 5936 AXFR, RFC 1995 IXFR) of the records "shund -d" writes, streamed from one
// immutable snapshot; NOTIFY (RFC 1996) to the zones' secondaries.
namespace shun::xfr {

/// Transfer counters (read by any thread), for /metrics.
struct Counters {
  std::atomic<std::uint64_t> axfr { 0 }; ///< AXFR answered with the zone
  std::atomic<std::uint64_t> ixfr { 0 }; ///< IXFR answered with the differences
  std::atomic<std::uint64_t> ixfrFull { 0 }; ///< IXFR answered with the whole zone (AXFR form)
  std::atomic<std::uint64_t> ixfrCurrent { 0 }; ///< IXFR from a current client: the single SOA
  std::atomic<std::uint64_t> refused { 0 }; ///< client outside the allowed ranges
  std::atomic<std::uint64_t> notAuth { 0 }; ///< zone not served here
  std::atomic<std::uint64_t> overLimit { 0 }; ///< too many transfers running (in total or from the client)
  std::atomic<std::uint64_t> malformed { 0 }; ///< FORMERR: IXFR without its SOA, wrong class, bad packet
  std::atomic<std::uint64_t> tsigErrors { 0 }; ///< BADKEY, BADSIG, BADTIME, BADTRUNC answered
  std::atomic<std::uint64_t> tsigMissing { 0 }; ///< unsigned requests refused where keys are configured
  std::atomic<std::uint64_t> completed { 0 }; ///< transfers whose last message was handed out
  std::atomic<std::uint64_t> records { 0 }; ///< records sent
  std::atomic<std::uint64_t> messages { 0 }; ///< messages sent
  std::atomic<std::uint64_t> notifySent { 0 }; ///< NOTIFY messages sent (retries included)
  std::atomic<std::uint64_t> notifyAcked { 0 }; ///< NOTIFY answered by the secondary
  std::atomic<std::uint64_t> notifyFailed { 0 }; ///< NOTIFY given up after the last retry
  /// Prometheus text lines (shund_xfr_..._total).
  std::string prometheus() const;
};

class Service;
struct Request;
class MessageBuilder;
class Access;
struct TsigKey;
struct TsigCheck;

/// One running transfer: its messages are built on a thread of its own, at most a few ahead of the
/// socket, from the snapshot it holds. Owned by the TCP connection; destroying it cancels and joins.
class Transfer {
public:
  enum class Step { Message, Wait, Done };
  ~Transfer();
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;
  /// Readable (an eventfd; read 8 bytes to reset it) whenever next() has something new. Not owned.
  int wakeFd() const noexcept;
  /// Message: message holds the next DNS message (no TCP length prefix); Wait: none ready yet, wait
  /// for wakeFd; Done: every message was handed out. Never blocks.
  Step next(std::vector<std::uint8_t>& message);

  struct State; ///< what its producer thread shares with it (xfr/ only)

private:
  friend class Service;
  explicit Transfer(std::shared_ptr<State> state);
  std::shared_ptr<State> d_state;
};

/// What Service::begin decided: an immediate answer, or a transfer to stream.
struct Begin {
  std::vector<std::uint8_t> reply; ///< a single message (errors, the IXFR single SOA); empty with transfer
  std::unique_ptr<Transfer> transfer;
};

/// Decides and starts zone transfers. Thread-safe: every TCP worker calls it.
class Service {
public:
  /// Throws std::invalid_argument naming a bad allow range, key or notify target. log: one line per refusal
  /// or failure; info: one line per transfer started (any thread; may be empty).
  Service(Settings settings, std::function<void(const std::string&)> log,
      std::function<void(const std::string&)> info = {});
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  /// True if query is an AXFR or IXFR request (opcode QUERY, one question): TCP hands those to begin().
  static bool isTransfer(std::span<const std::uint8_t> query) noexcept;
  /// Answers a transfer request that arrived over TCP from client, from snapshot at now (unix seconds).
  Begin begin(std::span<const std::uint8_t> query, const sockaddr* client,
      std::shared_ptr<const store::Snapshot> snapshot, std::int64_t now);
  /// True if answers to query may need signing: an xfr-key is set (for any zone), and query is a SOA or IXFR
  /// query with an additional section (where a TSIG would be). Cheap, no allocation: the packet path asks
  /// first.
  bool maySign(std::span<const std::uint8_t> query, std::uint16_t qtype) const noexcept;
  /// A secondary signs its SOA queries with its transfer key (RFC 8945 5.3: a signed request gets a
  /// signed answer): signs answer (its first length bytes in out) when query carries a valid TSIG, or
  /// replaces it by the TSIG error answer. Returns the new length (unchanged when unsigned; the
  /// unsigned answer when the signed one does not fit in out).
  std::size_t signAnswer(
      std::span<const std::uint8_t> query, std::span<std::uint8_t> out, std::size_t length, std::int64_t now);
  /// Starts the thread shund-notify (unless no transfer is allowed and no secondary named), which polls
  /// current every 20 ms, keeps each zone's differences for IXFR (observe) and tells its secondaries of
  /// every serial not told yet (at start too), retrying until answered.
  void watch(std::function<std::shared_ptr<const store::Snapshot>()> current);
  /// Records the differences from the last snapshot observed to this one, for IXFR (RFC 1995): for each
  /// zone whose serial changed through change sets only (store::ZoneHistory). The watch thread, or tests.
  void observe(const std::shared_ptr<const store::Snapshot>& snapshot, std::int64_t now);
  const Counters& counters() const noexcept { return d_counters; }
  class Notifier; ///< the NOTIFY thread (xfr/ only)

  /// One zone change as IXFR sends it.
  struct Change {
    std::uint32_t from = 0, to = 0;
    std::string fromSoa, toSoa; ///< SOA RDATA of each version
    zone::ZoneDifference difference;
  };
  static constexpr std::size_t kKeptChanges = 20; ///< per zone, as store::ZoneHistory

private:
  friend class Transfer;
  std::vector<std::shared_ptr<const Change>> changesSince(const store::Zone& zone, std::uint32_t serial);
  std::optional<Begin> checkSignature(std::span<const std::uint8_t> query, const Request& request,
      const std::vector<TsigKey>& keys, const std::string& who, std::int64_t now, TsigCheck& check);
  Begin stream(const store::Zone& zone, const Request& request, MessageBuilder builder,
      std::shared_ptr<const store::Snapshot> snapshot, const std::string& who, std::int64_t now);
  bool acquire(const std::string& client);
  void release(const std::string& client);
  Settings d_settings;
  std::function<void(const std::string&)> d_log;
  std::function<void(const std::string&)> d_info;
  std::unique_ptr<const Access> d_access; ///< who may transfer which zone, with which keys
  Counters d_counters;
  std::mutex d_mutex;
  std::uint32_t d_running = 0;
  std::map<std::string, std::uint32_t> d_perClient;
  std::mutex d_changesMutex;
  std::map<std::string, std::deque<std::shared_ptr<const Change>>> d_changes; ///< by zone wire name
  std::shared_ptr<const store::Snapshot> d_observed; ///< the watch thread's last snapshot
  std::unique_ptr<Notifier> d_notifier;
};

} // namespace shun::xfr
