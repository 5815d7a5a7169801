#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <sys/socket.h>

namespace shun::server {

/// Open DNS TCP connections per client address, all workers together, so a few clients cannot hold every
/// slot. Called on accept and close only (it allocates). Thread-safe.
class TcpClientCounts {
public:
  explicit TcpClientCounts(std::uint32_t perClient)
      : d_perClient(perClient)
  {
  }
  /// Counts a new connection from peer; false (and nothing counted) if peer already holds perClient.
  bool tryAdd(const sockaddr_storage& peer);
  /// Forgets one connection counted by tryAdd.
  void remove(const sockaddr_storage& peer);
  std::size_t clients() const;
  /// Sets the cap per client (at least 1). Before the workers start.
  void setPerClient(std::uint32_t perClient) { d_perClient = perClient ? perClient : 1; }

private:
  using Address = std::array<std::uint8_t, 16>; ///< IPv4 as ::ffff:a.b.c.d
  static Address addressOf(const sockaddr_storage& peer);
  std::uint32_t d_perClient;
  mutable std::mutex d_mutex;
  std::map<Address, std::uint32_t> d_counts;
};

} // namespace shun::server
