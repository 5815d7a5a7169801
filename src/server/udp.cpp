#include "server/udp.hpp"

#include <cerrno>
#include <sys/syscall.h>
#include <unistd.h>

namespace shun::server {

namespace {

// recvmmsg/sendmmsg without glibc's wrappers, which make every call a thread cancellation point (about
// 60 instructions a call); shund never cancels a thread.
long rawMmsg(long call, int fd, mmsghdr* messages, std::size_t count, int flags) noexcept
{
  return syscall(call, fd, messages, static_cast<unsigned>(count), flags, nullptr);
}

} // namespace

UdpBatch::UdpBatch(std::size_t replySize)
    : d_replySize(replySize)
    , d_queries(std::make_unique_for_overwrite<std::uint8_t[]>(kBatch * kQuerySize))
    , d_replies(std::make_unique_for_overwrite<std::uint8_t[]>(kBatch * replySize))
{
  for (std::size_t slot = 0; slot < kBatch; ++slot) {
    d_inIov[slot] = { d_queries.get() + slot * kQuerySize, kQuerySize };
    d_in[slot].msg_hdr.msg_iov = &d_inIov[slot];
    d_in[slot].msg_hdr.msg_iovlen = 1;
    d_in[slot].msg_hdr.msg_name = &d_peers[slot];
    d_in[slot].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
    d_in[slot].msg_hdr.msg_control = d_control[slot].bytes;
    d_in[slot].msg_hdr.msg_controllen = sizeof(Control);
    d_out[slot].msg_hdr.msg_iov = &d_outIov[slot];
    d_out[slot].msg_hdr.msg_iovlen = 1;
  }
}

std::size_t UdpBatch::receive(int fd, bool wait) noexcept
{
  // The kernel rewrote the lengths and flags of the slots it filled last time, and only those.
  for (std::size_t slot = 0; slot < d_filled; ++slot) {
    d_in[slot].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
    d_in[slot].msg_hdr.msg_controllen = sizeof(Control);
    d_in[slot].msg_hdr.msg_flags = 0;
  }
  long received;
  do
    received = rawMmsg(SYS_recvmmsg, fd, d_in.data(), kBatch, wait ? MSG_WAITFORONE : MSG_DONTWAIT);
  while (received < 0 && errno == EINTR);
  d_filled = received > 0 ? static_cast<std::size_t>(received) : 0;
  return d_filled;
}

// On a wildcard socket the reply must leave from the address the query was sent to (RFC 1123
// 6.1.3.5), so the destination seen in PKTINFO becomes the reply's source.
void UdpBatch::replyFrom(std::size_t slot, msghdr& reply) noexcept
{
  msghdr& query = d_in[slot].msg_hdr;
  reply.msg_control = nullptr;
  reply.msg_controllen = 0;
  for (cmsghdr* message = CMSG_FIRSTHDR(&query); message; message = CMSG_NXTHDR(&query, message)) {
    if (message->cmsg_level == IPPROTO_IP && message->cmsg_type == IP_PKTINFO) {
      auto* info = reinterpret_cast<in_pktinfo*>(CMSG_DATA(message));
      info->ipi_spec_dst = info->ipi_addr;
      info->ipi_ifindex = 0; // let routing pick the interface
    } else if (!(message->cmsg_level == IPPROTO_IPV6 && message->cmsg_type == IPV6_PKTINFO)) {
      continue;
    }
    reply.msg_control = message;
    reply.msg_controllen = message->cmsg_len;
    return;
  }
}

void UdpBatch::send(int fd, std::size_t count, WorkerContext& context) noexcept
{
  std::size_t done = 0;
  while (done < count) {
    long sent = rawMmsg(SYS_sendmmsg, fd, d_out.data() + done, count - done, MSG_DONTWAIT);
    if (sent > 0) {
      done += static_cast<std::size_t>(sent);
    } else if (sent < 0 && errno == EINTR) {
      continue;
    } else if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      for (; done < count; ++done) // the send buffer is full: these replies are lost
        context.counters().countSendFailure();
    } else {
      context.counters().countSendFailure(); // this destination failed; go on with the others
      ++done;
    }
  }
}

// A first pass over the batch: each lookup's map lines are fetched before any query is answered, so
// the batch waits on its cache misses together (a million-entry map does not stay in the caches).
void UdpBatch::prefetch(std::size_t received, const WorkerContext& context) noexcept
{
  for (std::size_t slot = 0; slot < received; ++slot)
    d_hints[slot] = context.prefetch({ d_queries.get() + slot * kQuerySize, d_in[slot].msg_len });
  for (std::size_t slot = 0; slot < received; ++slot)
    query::prefetchLookupSlices(d_hints[slot]);
}

std::size_t UdpBatch::drain(int fd, WorkerContext& context, bool wait) noexcept
{
  std::size_t total = 0;
  // Stopping after a few full batches lets the worker's other sockets have a turn.
  for (int round = 0; round < 16; ++round) {
    std::size_t received = receive(fd, wait && round == 0);
    if (received == 0)
      break;
    if (round == 0)
      context.refresh(); // after the wait: the clock and snapshot of now
    total += received;
    bool hinted = received > 1; // a lone query has nothing to overlap its cache misses with
    if (hinted)
      prefetch(received, context);
    std::size_t replies = 0;
    for (std::size_t slot = 0; slot < received; ++slot) {
      auto& header = d_in[slot].msg_hdr;
      std::span<const std::uint8_t> query(d_queries.get() + slot * kQuerySize, d_in[slot].msg_len);
      // The prefetch pass's parse is handed on: the question is read once.
      const query::LookupHint* hint = hinted ? &d_hints[slot] : nullptr;
      if (header.msg_flags & MSG_TRUNC) {
        query = query.first(0); // oversized: answered as garbage (dropped and counted)
        hint = nullptr;
      }
      std::span<std::uint8_t> out(d_replies.get() + replies * d_replySize, d_replySize);
      auto* peer = reinterpret_cast<const sockaddr*>(&d_peers[slot]);
      auto result = context.handle(query, peer, query::Transport::Udp, out, hint);
      if (result.length == 0)
        continue;
      d_outIov[replies] = { out.data(), result.length };
      d_out[replies].msg_hdr.msg_name = &d_peers[slot];
      d_out[replies].msg_hdr.msg_namelen = header.msg_namelen;
      replyFrom(slot, d_out[replies].msg_hdr);
      ++replies;
    }
    send(fd, replies, context);
    if (received < kBatch)
      break;
  }
  return total;
}

} // namespace shun::server
