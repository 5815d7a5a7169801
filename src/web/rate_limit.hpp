#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>

namespace shun::web {

/// Token buckets per client address with a bounded table: a client may burst `burst` requests, then one
/// every `intervalMs`. When the table is full, idle (refilled) clients are dropped first; if none is idle
/// every new client is refused, so a flood from many addresses cannot grow memory. One thread.
class RateLimiter {
public:
  RateLimiter(std::uint32_t burst, std::int64_t intervalMs, std::size_t maxClients);
  /// True if client may make a request at nowMs (and takes one token).
  bool allow(const std::string& client, std::int64_t nowMs);
  std::size_t size() const { return d_clients.size(); }

private:
  struct Bucket {
    double tokens;
    std::int64_t updatedMs;
  };
  void refill(Bucket& bucket, std::int64_t nowMs) const;
  void evictIdle(std::int64_t nowMs);
  std::uint32_t d_burst;
  std::int64_t d_intervalMs;
  std::size_t d_maxClients;
  std::unordered_map<std::string, Bucket> d_clients;
};

/// The network of a client address for rate limits: the first v4Bits of an IPv4 address or v6Bits of an
/// IPv6 one, as text ("192.0.2.0/24"); anything else is returned unchanged.
std::string clientNetwork(const std::string& client, int v4Bits, int v6Bits);

} // namespace shun::web
