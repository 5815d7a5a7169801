#include "server/tcp.hpp"

#include <cerrno>
#include <ctime>
#include <event2/buffer.h>
#include <netinet/in.h>
#include <unistd.h>

namespace shun::server {

struct TcpService::Connection {
  TcpService* service = nullptr;
  BufferEventPtr bev;
  TcpFramer framer;
  sockaddr_storage peer {};
  std::int64_t frameStarted = 0; ///< when the unfinished frame began (unix seconds)
  bool draining = false; ///< the client is done: close once the answers are out
  std::unique_ptr<xfr::Transfer> transfer; ///< a zone transfer being streamed; reading waits meanwhile
  EventPtr transferWake; ///< fires when the transfer has a message ready
};

TcpService::TcpService(event_base* base, WorkerContext& context)
    : d_base(base)
    , d_context(context)
    , d_resume(evtimer_new(base, &TcpService::onResume, this))
    , d_reply(std::make_unique_for_overwrite<std::uint8_t[]>(2 + 65535))
{
}

TcpService::~TcpService()
{
  while (!d_connections.empty())
    close(*d_connections.begin()->first);
}

void TcpService::listen(int fd)
{
  EventPtr accept(event_new(d_base, fd, EV_READ | EV_PERSIST, &TcpService::onAccept, this));
  event_add(accept.get(), nullptr);
  d_accepts.push_back(std::move(accept));
}

void TcpService::onAccept(evutil_socket_t fd, short, void* self)
{
  static_cast<TcpService*>(self)->accept(fd);
}

void TcpService::accept(int fd)
{
  auto& shared = d_context.shared();
  for (int count = 0; count < 32; ++count) {
    sockaddr_storage peer {};
    socklen_t length = sizeof peer;
    int client = accept4(fd, reinterpret_cast<sockaddr*>(&peer), &length, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (client < 0) {
      if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO)
        continue;
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
        pauseAccepting(errno);
      return; // EAGAIN, or another worker took it
    }
    if (shared.tcpConnections.fetch_add(1) >= shared.tcpMaxConnections) {
      shared.tcpConnections.fetch_sub(1);
      ::close(client); // over the limit: refuse at once rather than queue
      shared.tcpRefusedLimit.fetch_add(1, std::memory_order_relaxed);
      continue;
    }
    if (!shared.tcpClients.tryAdd(peer)) {
      shared.tcpConnections.fetch_sub(1);
      ::close(client); // this client holds its share already
      shared.tcpRefusedPerClient.fetch_add(1, std::memory_order_relaxed);
      continue;
    }
    open(client, peer);
  }
}

// The listener stays readable while the kernel cannot give us a descriptor: polling it again at once would
// spin, so stop for a moment and let connections close.
void TcpService::pauseAccepting(int error)
{
  for (auto& accept : d_accepts)
    event_del(accept.get());
  timeval pause { 0, kAcceptPauseMs * 1000 };
  evtimer_add(d_resume.get(), &pause);
  d_context.shared().tcpAcceptPauses.fetch_add(1, std::memory_order_relaxed);
  const char* why = error == EMFILE ? "the process is out of file descriptors (raise LimitNOFILE)"
      : error == ENFILE             ? "the system is out of file descriptors"
                                    : "out of kernel memory";
  d_context.shared().acceptWarning.warn(
      std::string("tcp: cannot accept a connection: ") + why + "; pausing new connections",
      std::time(nullptr));
}

void TcpService::onResume(evutil_socket_t, short, void* self)
{
  for (auto& accept : static_cast<TcpService*>(self)->d_accepts)
    event_add(accept.get(), nullptr);
}

void TcpService::open(int fd, const sockaddr_storage& peer)
{
  auto connection = std::make_unique<Connection>();
  connection->service = this;
  connection->peer = peer;
  connection->bev.reset(bufferevent_socket_new(d_base, fd, BEV_OPT_CLOSE_ON_FREE));
  if (!connection->bev) {
    ::close(fd);
    d_context.shared().tcpClients.remove(peer);
    d_context.shared().tcpConnections.fetch_sub(1);
    return;
  }
  auto* raw = connection.get();
  bufferevent_setcb(raw->bev.get(), &TcpService::onRead, &TcpService::onWrite, &TcpService::onEvent, raw);
  setIdleTimeouts(*raw);
  bufferevent_setwatermark(raw->bev.get(), EV_READ, 0, 16 * 1024); // read a bounded amount per turn
  bufferevent_enable(raw->bev.get(), EV_READ);
  d_connections.emplace(raw, std::move(connection));
}

void TcpService::setIdleTimeouts(Connection& connection)
{
  timeval idle { static_cast<time_t>(d_context.shared().tcpIdleTimeout), 0 };
  bufferevent_set_timeouts(connection.bev.get(), &idle, &idle);
}

void TcpService::onRead(bufferevent*, void* connection)
{
  auto* self = static_cast<Connection*>(connection);
  self->service->readFrames(*self);
}

bool TcpService::outputFull(const Connection& connection)
{
  return evbuffer_get_length(bufferevent_get_output(connection.bev.get())) > kMaxPendingOutput;
}

void TcpService::readFrames(Connection& connection)
{
  d_context.refresh();
  evbuffer* input = bufferevent_get_input(connection.bev.get());
  std::uint8_t chunk[4096];
  bool wasPartial = connection.framer.partial();
  // Stop answering while the client does not read its answers; the rest waits in the input buffer.
  while (!outputFull(connection) && !connection.transfer) {
    auto length = evbuffer_copyout(input, chunk, sizeof chunk);
    if (length <= 0)
      break;
    std::span<const std::uint8_t> piece(chunk, static_cast<std::size_t>(length));
    std::size_t used = 0;
    while (used < piece.size() && !outputFull(connection) && !connection.transfer) {
      used += connection.framer.feed(piece.subspan(used));
      // A frame too short for a DNS header is no query: a client sending empty frames only to keep its
      // connection from idling out is closed (RFC 7766 section 6.2.3 lets a server close as it sees fit).
      if (connection.framer.complete() && connection.framer.message().size() < 12)
        return close(connection);
      if (connection.framer.complete())
        answer(connection);
    }
    evbuffer_drain(input, used);
  }
  // A client trickling one frame byte by byte must not hold the connection past the idle limit.
  if (connection.framer.partial() && !wasPartial)
    connection.frameStarted = d_context.now();
  auto limit = static_cast<std::int64_t>(d_context.shared().tcpIdleTimeout);
  if (connection.framer.partial() && d_context.now() - connection.frameStarted >= limit)
    return close(connection);
  if (outputFull(connection)) {
    bufferevent_disable(connection.bev.get(), EV_READ);
    bufferevent_setwatermark(connection.bev.get(), EV_WRITE, kMaxPendingOutput / 2, 0);
  }
}

void TcpService::answer(Connection& connection)
{
  auto query = connection.framer.message();
  if (d_context.shared().xfr && xfr::Service::isTransfer(query))
    return startTransfer(connection);
  std::span<std::uint8_t> out(d_reply.get() + 2, 65535);
  auto result = d_context.handle(
      query, reinterpret_cast<const sockaddr*>(&connection.peer), query::Transport::Tcp, out);
  connection.framer.next();
  if (result.length == 0)
    return;
  d_reply[0] = static_cast<std::uint8_t>(result.length >> 8);
  d_reply[1] = static_cast<std::uint8_t>(result.length);
  bufferevent_write(connection.bev.get(), d_reply.get(), result.length + 2);
}

void TcpService::onWrite(bufferevent* bev, void* connection)
{
  auto* self = static_cast<Connection*>(connection);
  if (self->transfer)
    return self->service->pumpTransfer(*self);
  if (self->draining && evbuffer_get_length(bufferevent_get_output(bev)) == 0)
    return self->service->close(*self);
  if (!(bufferevent_get_enabled(bev) & EV_READ) && !self->draining) {
    bufferevent_setwatermark(bev, EV_WRITE, 0, 0);
    bufferevent_enable(bev, EV_READ);
    self->service->readFrames(*self); // queries already buffered get no new read event
  }
}

void TcpService::onEvent(bufferevent* bev, short what, void* connection)
{
  auto* self = static_cast<Connection*>(connection);
  bool pending = evbuffer_get_length(bufferevent_get_output(bev)) > 0 || self->transfer;
  if ((what & BEV_EVENT_EOF) && pending && !(what & BEV_EVENT_ERROR)) {
    self->draining = true; // half-closed after its queries: send the answers, then close
    bufferevent_disable(bev, EV_READ);
    return;
  }
  self->service->close(*self); // EOF, error or timeout
}

// A zone transfer (xfr/) answers with many messages: they are written as the socket drains, while the
// connection's next queries wait in its input buffer.
void TcpService::startTransfer(Connection& connection)
{
  auto begin = d_context.shared().xfr->begin(connection.framer.message(),
      reinterpret_cast<const sockaddr*>(&connection.peer), d_context.snapshot(), d_context.now());
  connection.framer.next();
  if (!begin.transfer) {
    writeFramed(connection, begin.reply);
    return;
  }
  connection.transfer = std::move(begin.transfer);
  connection.transferWake.reset(event_new(
      d_base, connection.transfer->wakeFd(), EV_READ | EV_PERSIST, &TcpService::onTransferWake, &connection));
  event_add(connection.transferWake.get(), nullptr);
  bufferevent_setwatermark(connection.bev.get(), EV_WRITE, kTransferLowWater, 0);
  // A client reading a long transfer sends nothing meanwhile: only a stalled write times out now.
  timeval idle { static_cast<time_t>(d_context.shared().tcpIdleTimeout), 0 };
  bufferevent_set_timeouts(connection.bev.get(), nullptr, &idle);
}

void TcpService::onTransferWake(evutil_socket_t fd, short, void* connection)
{
  std::uint64_t count;
  [[maybe_unused]] auto got = ::read(fd, &count, sizeof count);
  auto* self = static_cast<Connection*>(connection);
  self->service->pumpTransfer(*self);
}

void TcpService::pumpTransfer(Connection& connection)
{
  evbuffer* output = bufferevent_get_output(connection.bev.get());
  while (connection.transfer && evbuffer_get_length(output) < 2 * kTransferLowWater) {
    switch (connection.transfer->next(d_message)) {
    case xfr::Transfer::Step::Message:
      writeFramed(connection, d_message);
      break;
    case xfr::Transfer::Step::Wait:
      return;
    case xfr::Transfer::Step::Done:
      connection.transferWake.reset();
      connection.transfer.reset();
      bufferevent_setwatermark(connection.bev.get(), EV_WRITE, 0, 0);
      setIdleTimeouts(connection);
      if (!connection.draining) {
        bufferevent_enable(connection.bev.get(), EV_READ);
        readFrames(connection); // queries that came behind the transfer
      }
      return;
    }
  }
}

void TcpService::writeFramed(Connection& connection, const std::vector<std::uint8_t>& message)
{
  std::uint8_t length[2]
      = { static_cast<std::uint8_t>(message.size() >> 8), static_cast<std::uint8_t>(message.size()) };
  bufferevent_write(connection.bev.get(), length, sizeof length);
  bufferevent_write(connection.bev.get(), message.data(), message.size());
}

void TcpService::close(Connection& connection)
{
  d_context.shared().tcpClients.remove(connection.peer);
  d_connections.erase(&connection);
  d_context.shared().tcpConnections.fetch_sub(1);
}

} // namespace shun::server
