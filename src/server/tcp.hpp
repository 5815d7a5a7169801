#pragma once

#include "server/handles.hpp"
#include "server/tcp_framer.hpp"
#include "server/worker_context.hpp"

#include <memory>
#include <unordered_map>
#include <vector>

namespace shun::server {

/// DNS over TCP for one worker (RFC 7766): accepts on its listening sockets, reads length-framed
/// queries (pipelined), answers in order. Bounded per connection: one buffered query, output paused
/// above kMaxPendingOutput, closed after the idle timeout or a frame left unfinished that long, and at
/// most WorkerShared::tcpMaxConnections open in the process and WorkerShared::tcpClients per client. Out of
/// descriptors, it stops accepting for kAcceptPauseMs rather than spin on a listener it cannot empty.
/// Worker thread only.
class TcpService {
public:
  TcpService(event_base* base, WorkerContext& context);
  ~TcpService();
  TcpService(const TcpService&) = delete;
  TcpService& operator=(const TcpService&) = delete;
  /// Accepts connections on a listening socket (not owned).
  void listen(int fd);

private:
  struct Connection;
  static constexpr std::size_t kMaxPendingOutput = std::size_t { 256 } * 1024;
  static constexpr std::size_t kTransferLowWater = std::size_t { 32 } * 1024; ///< refill below this
  static constexpr long kAcceptPauseMs = 250;
  static void onAccept(evutil_socket_t fd, short what, void* self);
  static void onResume(evutil_socket_t fd, short what, void* self);
  void pauseAccepting(int error);
  static void onRead(bufferevent* bev, void* connection);
  static void onWrite(bufferevent* bev, void* connection);
  static void onEvent(bufferevent* bev, short what, void* connection);
  void accept(int fd);
  void open(int fd, const sockaddr_storage& peer);
  void readFrames(Connection& connection);
  static bool outputFull(const Connection& connection);
  void answer(Connection& connection);
  void close(Connection& connection);
  void setIdleTimeouts(Connection& connection);
  void startTransfer(Connection& connection);
  static void onTransferWake(evutil_socket_t fd, short what, void* connection);
  void pumpTransfer(Connection& connection);
  static void writeFramed(Connection& connection, const std::vector<std::uint8_t>& message);
  event_base* d_base;
  WorkerContext& d_context;
  std::vector<EventPtr> d_accepts;
  EventPtr d_resume; ///< re-arms d_accepts after a pause
  std::unordered_map<Connection*, std::unique_ptr<Connection>> d_connections;
  std::unique_ptr<std::uint8_t[]> d_reply; ///< 2-byte length + 65535, not zero-filled (the floor)
  std::vector<std::uint8_t> d_message; ///< a transfer's message being written
};

} // namespace shun::server
