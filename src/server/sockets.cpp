#include "server/sockets.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netdb.h>
#include <netinet/in.h>
#include <system_error>

namespace shun::server {

namespace {

using config::ConfigError;

struct AddrInfoDeleter {
  void operator()(addrinfo* info) const noexcept { freeaddrinfo(info); }
};

std::uint16_t portOf(const sockaddr_storage& address)
{
  if (address.ss_family == AF_INET6)
    return ntohs(reinterpret_cast<const sockaddr_in6&>(address).sin6_port);
  return ntohs(reinterpret_cast<const sockaddr_in&>(address).sin_port);
}

void setPort(sockaddr_storage& address, std::uint16_t port)
{
  if (address.ss_family == AF_INET6)
    reinterpret_cast<sockaddr_in6&>(address).sin6_port = htons(port);
  else
    reinterpret_cast<sockaddr_in&>(address).sin_port = htons(port);
}

std::vector<Listener> resolve(const config::ListenSpec& spec, config::Family family)
{
  addrinfo hints {};
  hints.ai_family = family == config::Family::V4 ? AF_INET
      : family == config::Family::V6             ? AF_INET6
                                                 : AF_UNSPEC;
  hints.ai_socktype = SOCK_DGRAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  int error = getaddrinfo(spec.host.c_str(), spec.port.c_str(), &hints, &found);
  if (error != 0)
    throw ConfigError("cannot resolve -b " + spec.host + "/" + spec.port + ": " + gai_strerror(error));
  std::unique_ptr<addrinfo, AddrInfoDeleter> owner(found);
  std::vector<Listener> listeners;
  for (auto* info = found; info; info = info->ai_next) {
    Listener listener;
    std::memcpy(&listener.address, info->ai_addr, info->ai_addrlen);
    listener.addressLength = info->ai_addrlen;
    listeners.push_back(std::move(listener));
  }
  return listeners;
}

bool isWildcard(const sockaddr_storage& address)
{
  if (address.ss_family == AF_INET6)
    return IN6_IS_ADDR_UNSPECIFIED(&reinterpret_cast<const sockaddr_in6&>(address).sin6_addr);
  return reinterpret_cast<const sockaddr_in&>(address).sin_addr.s_addr == htonl(INADDR_ANY);
}

// A socket with SO_REUSEPORT bound to address; -1 and errno on failure.
UniqueFd bindSocket(const sockaddr_storage& address, socklen_t length, int type, bool reusePort = true)
{
  UniqueFd fd(socket(address.ss_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd)
    return fd;
  int on = 1;
  setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  if (reusePort)
    setsockopt(fd.get(), SOL_SOCKET, SO_REUSEPORT, &on, sizeof on);
  if (address.ss_family == AF_INET6)
    setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
  if (type == SOCK_DGRAM && isWildcard(address)) {
    if (address.ss_family == AF_INET6)
      setsockopt(fd.get(), IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof on);
    else
      setsockopt(fd.get(), IPPROTO_IP, IP_PKTINFO, &on, sizeof on);
  }
  if (type == SOCK_DGRAM) {
    int size = 4 << 20; // absorb bursts while a worker is busy; the kernel caps it at rmem_max
    setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  }
  if (bind(fd.get(), reinterpret_cast<const sockaddr*>(&address), length) != 0)
    return UniqueFd();
  if (type == SOCK_STREAM && listen(fd.get(), 128) != 0)
    return UniqueFd();
  return fd;
}

// Binds every socket of listener; false (errno set) if one fails. Port 0: the first UDP socket picks it.
bool bindAll(Listener& listener, std::size_t workers)
{
  for (std::size_t worker = 0; worker < workers; ++worker) {
    for (int type : { SOCK_DGRAM, SOCK_STREAM }) {
      UniqueFd fd = bindSocket(listener.address, listener.addressLength, type);
      if (!fd)
        return false;
      if (portOf(listener.address) == 0) {
        socklen_t length = sizeof listener.address;
        getsockname(fd.get(), reinterpret_cast<sockaddr*>(&listener.address), &length);
      }
      (type == SOCK_DGRAM ? listener.udp : listener.tcp).push_back(std::move(fd));
    }
  }
  return true;
}

// SO_REUSEPORT would silently share a port with another running server of the same user: a plain
// bind first tells us the port is free.
bool portFree(const Listener& listener)
{
  for (int type : { SOCK_DGRAM, SOCK_STREAM })
    if (!bindSocket(listener.address, listener.addressLength, type, false))
      return false;
  return true;
}

void bindListener(Listener& listener, std::size_t workers)
{
  bool ephemeral = portOf(listener.address) == 0;
  if (!ephemeral && !portFree(listener))
    throw ConfigError("cannot listen on " + listener.text() + ": " + std::generic_category().message(errno));
  // An ephemeral UDP port may be taken for TCP by someone else: try a few fresh ports.
  for (int attempt = 0; attempt < (ephemeral ? 20 : 1); ++attempt) {
    if (ephemeral)
      setPort(listener.address, 0);
    listener.udp.clear();
    listener.tcp.clear();
    if (bindAll(listener, workers))
      return;
    if (!ephemeral || errno != EADDRINUSE)
      break;
  }
  throw ConfigError("cannot listen on " + listener.text() + ": " + std::generic_category().message(errno));
}

bool sameAddress(const Listener& left, const Listener& right)
{
  return left.addressLength == right.addressLength
      && std::memcmp(&left.address, &right.address, left.addressLength) == 0;
}

} // namespace

std::string addressText(const sockaddr* address)
{
  char host[INET6_ADDRSTRLEN] = "?";
  std::uint16_t port = 0;
  if (address->sa_family == AF_INET6) {
    auto* v6 = reinterpret_cast<const sockaddr_in6*>(address);
    inet_ntop(AF_INET6, &v6->sin6_addr, host, sizeof host);
    port = ntohs(v6->sin6_port);
  } else if (address->sa_family == AF_INET) {
    auto* v4 = reinterpret_cast<const sockaddr_in*>(address);
    inet_ntop(AF_INET, &v4->sin_addr, host, sizeof host);
    port = ntohs(v4->sin_port);
  }
  return std::string(host) + "/" + std::to_string(port);
}

std::string Listener::text() const
{
  return addressText(reinterpret_cast<const sockaddr*>(&address));
}

std::vector<Listener> bindListeners(
    const std::vector<config::ListenSpec>& specs, config::Family family, std::size_t workers)
{
  std::vector<Listener> listeners;
  for (const auto& spec : specs) {
    for (auto& listener : resolve(spec, family)) {
      bool duplicate = portOf(listener.address) != 0
          && std::any_of(listeners.begin(), listeners.end(),
              [&](const Listener& other) { return sameAddress(other, listener); });
      if (duplicate)
        continue; // rbldnsd ignores a repeated -b
      bindListener(listener, workers);
      listeners.push_back(std::move(listener));
    }
  }
  return listeners;
}

} // namespace shun::server
