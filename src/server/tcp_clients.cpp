#include "server/tcp_clients.hpp"

#include <cstring>
#include <netinet/in.h>

namespace shun::server {

TcpClientCounts::Address TcpClientCounts::addressOf(const sockaddr_storage& peer)
{
  Address address {};
  if (peer.ss_family == AF_INET6) {
    std::memcpy(address.data(), &reinterpret_cast<const sockaddr_in6&>(peer).sin6_addr, 16);
  } else if (peer.ss_family == AF_INET) {
    address[10] = address[11] = 0xff;
    std::memcpy(address.data() + 12, &reinterpret_cast<const sockaddr_in&>(peer).sin_addr, 4);
  }
  return address;
}

bool TcpClientCounts::tryAdd(const sockaddr_storage& peer)
{
  std::lock_guard lock(d_mutex);
  auto& count = d_counts[addressOf(peer)];
  if (count >= d_perClient)
    return false;
  ++count;
  return true;
}

void TcpClientCounts::remove(const sockaddr_storage& peer)
{
  std::lock_guard lock(d_mutex);
  auto found = d_counts.find(addressOf(peer));
  if (found != d_counts.end() && --found->second == 0)
    d_counts.erase(found);
}

std::size_t TcpClientCounts::clients() const
{
  std::lock_guard lock(d_mutex);
  return d_counts.size();
}

} // namespace shun::server
