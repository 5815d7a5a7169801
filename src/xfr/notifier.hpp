#pragma once

#include "shun/xfr/xfr.hpp"
#include "xfr/access.hpp"

#include <chrono>
#include <netinet/in.h>
#include <thread>

namespace shun::xfr {

/// Sends NOTIFY (RFC 1996) to each zone's secondaries when its serial changes, over UDP, retried every
/// kRetry until answered, kTries times at most; signed with the zone's first key when it has keys, and
/// then only an answer signed with that key counts. Its own thread, shund-notify.
class Service::Notifier {
public:
  static constexpr auto kRetry = std::chrono::seconds(2);
  /// How often the snapshot is looked at: a new serial is told within this (a pointer compare when
  /// nothing changed).
  static constexpr int kPollMs = 20;
  static constexpr int kTries = 5;
  /// targets: "zone addr[/port]" (port 53 by default). Throws std::invalid_argument for a bad one.
  /// access gives each zone's keys; it and log outlive the Notifier.
  Notifier(const std::vector<std::string>& targets, const Access& access, Counters& counters,
      const std::function<void(const std::string&)>& log);
  ~Notifier();
  /// Starts the thread; observe sees each snapshot polled (before the NOTIFY checks).
  void start(std::function<std::shared_ptr<const store::Snapshot>()> current,
      std::function<void(const std::shared_ptr<const store::Snapshot>&)> observe);
  void stop();

private:
  struct Target {
    std::string zone; ///< lower-case presentation form, as store::Zone::text
    sockaddr_storage address {};
    socklen_t length = 0;
    std::string text;
  };
  struct Pending {
    std::size_t target;
    std::uint16_t id;
    std::vector<std::uint8_t> message;
    const TsigKey* key = nullptr; ///< signed with; its answer must verify
    std::shared_ptr<ldns_struct_rdf> mac; ///< the NOTIFY's MAC, which the answer's covers
    int tries = 0;
    std::chrono::steady_clock::time_point due;
    bool warned = false; ///< an answer that did not verify was logged (once: spoofed ones could flood)
  };
  void run();
  void check(const store::Snapshot& snapshot);
  void sendDue();
  void receive(int fd);
  void queue(std::size_t target, const store::Zone& zone);
  bool answers(
      Pending& pending, std::span<const std::uint8_t> answer, const sockaddr_storage& from, socklen_t length);
  int socketFor(int family);
  std::vector<Target> d_targets;
  const Access& d_access;
  Counters& d_counters;
  const std::function<void(const std::string&)>& d_log;
  std::function<std::shared_ptr<const store::Snapshot>()> d_current;
  std::function<void(const std::shared_ptr<const store::Snapshot>&)> d_observe;
  std::vector<std::pair<std::string, std::uint32_t>> d_told; ///< zone text, serial last notified
  std::vector<Pending> d_pending;
  int d_socket4 = -1, d_socket6 = -1;
  std::uint16_t d_nextId;
  std::atomic<bool> d_stop { false };
  std::thread d_thread;
};

} // namespace shun::xfr
