#include "shun/web/web.hpp"
#include "web/handlers.hpp"
#include "web/http_parser.hpp"
#include "web/http_response.hpp"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <ctime>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <event2/util.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <thread>
#include <unordered_map>
#include <utility>

namespace shun::web {
namespace {

constexpr std::size_t kMaxBody = 4096;
constexpr std::size_t kMaxHead = 8192;
constexpr std::size_t kMaxPendingOutput = std::size_t { 256 } * 1024; // stop reading a client that does not
constexpr long kTimeoutSeconds = 10; // a slow or idle client is dropped after this
constexpr int kLingerSeconds = 2; // after an error answer, how long its unread request may still arrive
constexpr long kAcceptPauseMs = 250;

struct BaseDeleter {
  void operator()(event_base* base) const noexcept { event_base_free(base); }
};
struct ListenerDeleter {
  void operator()(evconnlistener* listener) const noexcept { evconnlistener_free(listener); }
};
struct EventDeleter {
  void operator()(event* ev) const noexcept { event_free(ev); }
};
struct BufferEventDeleter {
  void operator()(bufferevent* bev) const noexcept { bufferevent_free(bev); }
};

std::int64_t monotonicMs()
{
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

std::string peerText(const sockaddr* address)
{
  char text[64] = "unknown";
  if (address->sa_family == AF_INET)
    evutil_inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(address)->sin_addr, text, sizeof text);
  else if (address->sa_family == AF_INET6)
    evutil_inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr, text, sizeof text);
  return text;
}

} // namespace

struct WebServer::Impl {
  struct Connection {
    Impl* impl = nullptr;
    std::unique_ptr<bufferevent, BufferEventDeleter> bev;
    std::string peer;
    std::int64_t partialSinceMs = 0; ///< when the unfinished request began; 0: none
    bool closing = false; ///< answer the last request, then close
    bool lingering = false; ///< answered and shut down for writing: discard input until EOF
  };

  Impl(const config::ListenSpec& listen, WebSources sources);
  void bind(const config::ListenSpec& listen);
  static void onAccept(evconnlistener*, evutil_socket_t fd, sockaddr* address, int, void* self);
  static void onAcceptError(evconnlistener*, void* self);
  static void onResume(evutil_socket_t, short, void* self);
  static void onTick(evutil_socket_t, short, void* self);
  static void onRead(bufferevent*, void* connection);
  static void onWrite(bufferevent*, void* connection);
  static void onEvent(bufferevent*, short what, void* connection);
  void readRequests(Connection& connection);
  bool answerOne(Connection& connection, evbuffer* input);
  void send(Connection& connection, const Response& response, bool head);
  void finishIfDone(Connection& connection);
  void close(Connection& connection);
  void warn(const std::string& message);

  std::unique_ptr<event_base, BaseDeleter> base;
  std::unique_ptr<evconnlistener, ListenerDeleter> listener;
  std::unique_ptr<event, EventDeleter> resume;
  std::unique_ptr<event, EventDeleter> tick;
  std::unordered_map<Connection*, std::unique_ptr<Connection>> connections;
  std::size_t maxConnections = 256;
  std::int64_t lastWarning = 0;
  std::uint64_t heldWarnings = 0;
  std::function<void(const std::string&)> logWarning; // before handlers, which takes the sources
  Handlers handlers;
  std::string address;
  std::atomic<bool> stopping { false };
  std::thread thread;
};

WebServer::Impl::Impl(const config::ListenSpec& listen, WebSources sources)
    : base(event_base_new())
    , logWarning(sources.warn)
    , handlers(std::move(sources))
{
  if (!base)
    throw config::ConfigError("--http: cannot create an event base");
  bind(listen);
  resume.reset(evtimer_new(base.get(), &Impl::onResume, this));
  tick.reset(event_new(base.get(), -1, EV_PERSIST, &Impl::onTick, this));
  timeval interval { 0, 100000 };
  event_add(tick.get(), &interval);
}

void WebServer::Impl::bind(const config::ListenSpec& listen)
{
  auto failed = [&] {
    return config::ConfigError("--http " + listen.host + "/" + listen.port + ": cannot listen there");
  };
  bool numeric = !listen.port.empty() && listen.port.size() <= 5
      && listen.port.find_first_not_of("0123456789") == std::string::npos && std::stoi(listen.port) <= 65535;
  evutil_addrinfo hints {};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = EVUTIL_AI_PASSIVE | EVUTIL_AI_NUMERICSERV;
  evutil_addrinfo* found = nullptr;
  if (!numeric || evutil_getaddrinfo(listen.host.c_str(), listen.port.c_str(), &hints, &found) != 0 || !found)
    throw failed();
  listener.reset(evconnlistener_new_bind(base.get(), &Impl::onAccept, this,
      LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE | LEV_OPT_CLOSE_ON_EXEC, 128, found->ai_addr,
      static_cast<int>(found->ai_addrlen)));
  evutil_freeaddrinfo(found);
  if (!listener)
    throw failed();
  evconnlistener_set_error_cb(listener.get(), &Impl::onAcceptError);
  // Report the real port when 0 (ephemeral) was asked for.
  sockaddr_storage storage {};
  socklen_t length = sizeof storage;
  getsockname(evconnlistener_get_fd(listener.get()), reinterpret_cast<sockaddr*>(&storage), &length);
  auto* in = reinterpret_cast<sockaddr_in*>(&storage); // sin6_port sits where sin_port does
  address = listen.host + "/" + std::to_string(ntohs(in->sin_port));
}

void WebServer::Impl::warn(const std::string& message)
{
  std::int64_t now = std::time(nullptr);
  if (lastWarning && now < lastWarning + 10) {
    ++heldWarnings;
    return;
  }
  lastWarning = now;
  std::uint64_t held = std::exchange(heldWarnings, 0);
  if (logWarning)
    logWarning(held ? message + " (" + std::to_string(held) + " more since the last report)" : message);
}

void WebServer::Impl::onAccept(evconnlistener*, evutil_socket_t fd, sockaddr* address, int, void* self)
{
  auto* impl = static_cast<Impl*>(self);
  if (impl->connections.size() >= impl->maxConnections) {
    evutil_closesocket(fd); // full: refuse at once rather than queue
    ++impl->handlers.counters().connectionsRefused;
    impl->warn("http: " + std::to_string(impl->maxConnections) + " connections open, refusing more");
    return;
  }
  auto connection = std::make_unique<Connection>();
  connection->impl = impl;
  connection->peer = peerText(address);
  connection->bev.reset(bufferevent_socket_new(impl->base.get(), fd, BEV_OPT_CLOSE_ON_FREE));
  if (!connection->bev) {
    evutil_closesocket(fd);
    return;
  }
  auto* raw = connection.get();
  bufferevent_setcb(raw->bev.get(), &Impl::onRead, &Impl::onWrite, &Impl::onEvent, raw);
  timeval idle { kTimeoutSeconds, 0 };
  bufferevent_set_timeouts(raw->bev.get(), &idle, &idle);
  bufferevent_enable(raw->bev.get(), EV_READ);
  impl->connections.emplace(raw, std::move(connection));
}

// The listener stays readable while no descriptor is left: stop for a moment instead of spinning on it.
void WebServer::Impl::onAcceptError(evconnlistener* listener, void* self)
{
  auto* impl = static_cast<Impl*>(self);
  int error = EVUTIL_SOCKET_ERROR();
  if (error != EMFILE && error != ENFILE && error != ENOBUFS && error != ENOMEM)
    return;
  evconnlistener_disable(listener);
  ++impl->handlers.counters().acceptPauses;
  timeval pause { 0, kAcceptPauseMs * 1000 };
  evtimer_add(impl->resume.get(), &pause);
  impl->warn("http: cannot accept a connection: out of file descriptors; pausing new connections");
}

void WebServer::Impl::onResume(evutil_socket_t, short, void* self)
{
  evconnlistener_enable(static_cast<Impl*>(self)->listener.get());
}

void WebServer::Impl::onTick(evutil_socket_t, short, void* self)
{
  auto* impl = static_cast<Impl*>(self);
  if (impl->stopping.load(std::memory_order_acquire))
    event_base_loopbreak(impl->base.get());
}

void WebServer::Impl::onRead(bufferevent*, void* connection)
{
  auto* self = static_cast<Connection*>(connection);
  self->impl->readRequests(*self);
}

// Answers every complete request in the input, in order (pipelining), while the client reads its answers.
void WebServer::Impl::readRequests(Connection& connection)
{
  evbuffer* input = bufferevent_get_input(connection.bev.get());
  evbuffer* output = bufferevent_get_output(connection.bev.get());
  if (connection.lingering) {
    evbuffer_drain(input, evbuffer_get_length(input));
    return;
  }
  while (!connection.closing && evbuffer_get_length(output) <= kMaxPendingOutput) {
    if (!answerOne(connection, input))
      break;
  }
  // A client trickling a request byte by byte must not hold the connection past the timeout.
  if (connection.partialSinceMs && monotonicMs() - connection.partialSinceMs > kTimeoutSeconds * 1000)
    return close(connection);
  if (connection.closing || evbuffer_get_length(output) > kMaxPendingOutput)
    bufferevent_disable(connection.bev.get(), EV_READ);
  finishIfDone(connection);
}

// Parses and answers the first request of input; false when none is complete (or the connection ends).
bool WebServer::Impl::answerOne(Connection& connection, evbuffer* input)
{
  std::size_t length = std::min(evbuffer_get_length(input), kMaxHead + kMaxBody + 1);
  if (length == 0)
    return false;
  const auto* data = reinterpret_cast<const char*>(evbuffer_pullup(input, static_cast<ev_ssize_t>(length)));
  HttpParse parse = parseHttpRequest({ data, length }, kMaxHead, kMaxBody);
  if (parse.state == HttpParse::State::Incomplete) {
    if (!connection.partialSinceMs)
      connection.partialSinceMs = monotonicMs();
    return false;
  }
  connection.partialSinceMs = 0;
  if (parse.state == HttpParse::State::Bad) {
    connection.closing = true;
    evbuffer_drain(input, evbuffer_get_length(input));
    send(connection, { parse.status, "text/plain; charset=utf-8", "Bad request.\n" }, false);
    return false;
  }
  evbuffer_drain(input, parse.consumed);
  HttpRequest& http = parse.request;
  connection.closing = !http.keepAlive;
  Request request { http.method, http.target, std::move(http.body), connection.peer,
    std::move(http.headers) };
  Response response;
  try {
    response = handlers.handle(request, static_cast<std::int64_t>(std::time(nullptr)), monotonicMs());
  } catch (const std::exception&) {
    response = { 500, "text/plain; charset=utf-8", "Internal server error.\n" };
  }
  send(connection, response, http.method == "HEAD");
  return !connection.closing;
}

void WebServer::Impl::send(Connection& connection, const Response& response, bool head)
{
  std::string bytes = formatHttpResponse(response, head, connection.closing);
  bufferevent_write(connection.bev.get(), bytes.data(), bytes.size());
}

// After the last answer is out: shut down writing and discard what the client still sends, so closing
// with unread input does not reset the connection before the client has read the answer.
void WebServer::Impl::finishIfDone(Connection& connection)
{
  if (!connection.closing || evbuffer_get_length(bufferevent_get_output(connection.bev.get())) > 0)
    return;
  if (connection.lingering)
    return;
  connection.lingering = true;
  ::shutdown(bufferevent_getfd(connection.bev.get()), SHUT_WR);
  timeval linger { kLingerSeconds, 0 };
  bufferevent_set_timeouts(connection.bev.get(), &linger, nullptr);
  bufferevent_enable(connection.bev.get(), EV_READ);
}

void WebServer::Impl::onWrite(bufferevent* bev, void* connection)
{
  auto* self = static_cast<Connection*>(connection);
  if (self->closing)
    return self->impl->finishIfDone(*self);
  if (!(bufferevent_get_enabled(bev) & EV_READ)) {
    bufferevent_enable(bev, EV_READ);
    self->impl->readRequests(*self); // requests already buffered get no new read event
  }
}

void WebServer::Impl::onEvent(bufferevent* bev, short what, void* connection)
{
  auto* self = static_cast<Connection*>(connection);
  bool pending = evbuffer_get_length(bufferevent_get_output(bev)) > 0;
  if ((what & BEV_EVENT_EOF) && pending && !(what & BEV_EVENT_ERROR) && !self->lingering) {
    self->closing = true; // half-closed after its requests: send the answers, then close
    bufferevent_disable(bev, EV_READ);
    return;
  }
  self->impl->close(*self); // EOF, error or timeout
}

void WebServer::Impl::close(Connection& connection)
{
  connections.erase(&connection);
}

WebServer::WebServer(const config::ListenSpec& listen, WebSources sources)
    : d_impl(std::make_unique<Impl>(listen, std::move(sources)))
{
}

WebServer::~WebServer()
{
  stop();
}

void WebServer::setMaxConnections(std::uint32_t count)
{
  d_impl->maxConnections = count ? count : 1;
}

void WebServer::start()
{
  d_impl->thread = std::thread([impl = d_impl.get()] { event_base_dispatch(impl->base.get()); });
  pthread_setname_np(d_impl->thread.native_handle(), "shund-web");
}

void WebServer::stop()
{
  d_impl->stopping.store(true, std::memory_order_release);
  if (d_impl->thread.joinable())
    d_impl->thread.join();
}

std::string WebServer::text() const
{
  return d_impl->address;
}

} // namespace shun::web
