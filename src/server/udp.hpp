#pragma once

#include "server/worker_context.hpp"

#include <array>
#include <memory>
#include <netinet/in.h>
#include <sys/socket.h>
#include <vector>

namespace shun::server {

/// Preallocated recvmmsg/sendmmsg arrays of one UDP worker, shared by all its sockets.
class UdpBatch {
public:
  static constexpr std::size_t kBatch = 64; ///< datagrams per recvmmsg
  static constexpr std::size_t kQuerySize = 4096; ///< larger datagrams are dropped as malformed

  /// replySize: the largest answer (the --max-udp-size limit).
  explicit UdpBatch(std::size_t replySize);
  /// Answers what fd holds: receives a batch, answers it through context, sends the replies, and goes
  /// on while batches come full (up to a fairness limit). wait: block for the first datagram (up to
  /// the socket's SO_RCVTIMEO; fd must be blocking). Returns the datagrams received. Worker thread; no
  /// allocation, never throws.
  std::size_t drain(int fd, WorkerContext& context, bool wait) noexcept;

private:
  /// Room for one IP_PKTINFO / IPV6_PKTINFO control message.
  struct alignas(cmsghdr) Control {
    char bytes[CMSG_SPACE(sizeof(in6_pktinfo))];
  };
  std::size_t receive(int fd, bool wait) noexcept;
  void replyFrom(std::size_t slot, msghdr& reply) noexcept;
  void send(int fd, std::size_t count, WorkerContext& context) noexcept;
  void prefetch(std::size_t received, const WorkerContext& context) noexcept;
  std::size_t d_replySize;
  // Not zero-filled: a page costs memory when a datagram first reaches it (the idle server's floor).
  std::unique_ptr<std::uint8_t[]> d_queries, d_replies;
  std::array<mmsghdr, kBatch> d_in {}, d_out {};
  std::array<iovec, kBatch> d_inIov {}, d_outIov {};
  std::array<sockaddr_storage, kBatch> d_peers {};
  std::array<Control, kBatch> d_control {};
  std::array<query::LookupHint, kBatch> d_hints {};
  std::size_t d_filled = 0; ///< slots the last recvmmsg filled
};

} // namespace shun::server
