#include "shun/web/web.hpp"
#include "web/handlers.hpp"

#include <atomic>
#include <chrono>
#include <ctime>
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <pthread.h>
#include <thread>

namespace shun::web {
namespace {

constexpr std::size_t kMaxBody = 4096;
constexpr std::size_t kMaxHeaders = 8192;
constexpr int kTimeoutSeconds = 10; // a slow or idle client is dropped after this

struct BaseDeleter {
  void operator()(event_base* base) const noexcept { event_base_free(base); }
};
struct HttpDeleter {
  void operator()(evhttp* http) const noexcept { evhttp_free(http); }
};
struct EventDeleter {
  void operator()(event* ev) const noexcept { event_free(ev); }
};
struct BufferDeleter {
  void operator()(evbuffer* buffer) const noexcept { evbuffer_free(buffer); }
};

const char* methodName(evhttp_cmd_type type)
{
  switch (type) {
  case EVHTTP_REQ_GET:
    return "GET";
  case EVHTTP_REQ_POST:
    return "POST";
  case EVHTTP_REQ_HEAD:
    return "HEAD";
  default:
    return "OTHER";
  }
}

std::int64_t monotonicMs()
{
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

} // namespace

struct WebServer::Impl {
  Impl(const config::ListenSpec& listen, WebSources sources);
  static void onRequest(evhttp_request* request, void* self);
  static void onTick(evutil_socket_t, short, void* self);
  void answer(evhttp_request* request);

  std::unique_ptr<event_base, BaseDeleter> base;
  std::unique_ptr<evhttp, HttpDeleter> http;
  std::unique_ptr<event, EventDeleter> tick;
  Handlers handlers;
  std::string address;
  std::atomic<bool> stopping { false };
  std::thread thread;
};

WebServer::Impl::Impl(const config::ListenSpec& listen, WebSources sources)
    : base(event_base_new())
    , handlers(std::move(sources))
{
  if (!base)
    throw config::ConfigError("--http: cannot create an event base");
  http.reset(evhttp_new(base.get()));
  if (!http)
    throw config::ConfigError("--http: cannot create the HTTP server");
  bool numeric = !listen.port.empty() && listen.port.size() <= 5
      && listen.port.find_first_not_of("0123456789") == std::string::npos;
  int port = numeric ? std::atoi(listen.port.c_str()) : -1;
  auto* bound = port < 0 || port > 65535
      ? nullptr
      : evhttp_bind_socket_with_handle(http.get(), listen.host.c_str(), static_cast<ev_uint16_t>(port));
  if (!bound)
    throw config::ConfigError("--http " + listen.host + "/" + listen.port + ": cannot listen there");
  evhttp_set_max_body_size(http.get(), kMaxBody);
  evhttp_set_max_headers_size(http.get(), kMaxHeaders);
  evhttp_set_timeout(http.get(), kTimeoutSeconds);
  evhttp_set_allowed_methods(http.get(), EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD);
  evhttp_set_gencb(http.get(), &Impl::onRequest, this);
  // Report the real port when 0 (ephemeral) was asked for.
  sockaddr_storage storage {};
  socklen_t length = sizeof storage;
  getsockname(evhttp_bound_socket_get_fd(bound), reinterpret_cast<sockaddr*>(&storage), &length);
  auto* in = reinterpret_cast<sockaddr_in*>(&storage);
  address = listen.host + "/" + std::to_string(ntohs(in->sin_port));
  tick.reset(event_new(base.get(), -1, EV_PERSIST, &Impl::onTick, this));
  timeval interval { 0, 100000 };
  event_add(tick.get(), &interval);
}

void WebServer::Impl::onTick(evutil_socket_t, short, void* self)
{
  auto* impl = static_cast<Impl*>(self);
  if (impl->stopping.load(std::memory_order_acquire))
    event_base_loopbreak(impl->base.get());
}

void WebServer::Impl::onRequest(evhttp_request* request, void* self)
{
  try {
    static_cast<Impl*>(self)->answer(request);
  } catch (const std::exception&) {
    evhttp_send_error(request, 500, "Internal Server Error");
  }
}

void WebServer::Impl::answer(evhttp_request* request)
{
  Request parsed;
  parsed.method = methodName(evhttp_request_get_command(request));
  const char* uri = evhttp_request_get_uri(request);
  parsed.target = uri ? uri : "";
  evbuffer* input = evhttp_request_get_input_buffer(request);
  std::size_t length = std::min(evbuffer_get_length(input), kMaxBody);
  parsed.body.resize(length);
  evbuffer_copyout(input, parsed.body.data(), length);
  char* peer = nullptr;
  ev_uint16_t port = 0;
  evhttp_connection_get_peer(evhttp_request_get_connection(request), &peer, &port);
  parsed.client = peer ? peer : "unknown";
  Response response = handlers.handle(parsed, static_cast<std::int64_t>(std::time(nullptr)), monotonicMs());
  evkeyvalq* headers = evhttp_request_get_output_headers(request);
  evhttp_add_header(headers, "Content-Type", response.contentType.c_str());
  evhttp_add_header(headers, "X-Content-Type-Options", "nosniff");
  evhttp_add_header(headers, "Content-Security-Policy",
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'");
  evhttp_add_header(headers, "Cache-Control", "no-store");
  std::unique_ptr<evbuffer, BufferDeleter> body(evbuffer_new());
  if (parsed.method != "HEAD")
    evbuffer_add(body.get(), response.body.data(), response.body.size());
  evhttp_send_reply(request, response.status, nullptr, body.get());
}

WebServer::WebServer(const config::ListenSpec& listen, WebSources sources)
    : d_impl(std::make_unique<Impl>(listen, std::move(sources)))
{
}

WebServer::~WebServer()
{
  stop();
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
