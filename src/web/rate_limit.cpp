#include "web/rate_limit.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <cstring>

namespace shun::web {

RateLimiter::RateLimiter(std::uint32_t burst, std::int64_t intervalMs, std::size_t maxClients)
    : d_burst(std::max<std::uint32_t>(burst, 1))
    , d_intervalMs(std::max<std::int64_t>(intervalMs, 1))
    , d_maxClients(std::max<std::size_t>(maxClients, 1))
{
}

void RateLimiter::refill(Bucket& bucket, std::int64_t nowMs) const
{
  if (nowMs > bucket.updatedMs) {
    double gained = static_cast<double>(nowMs - bucket.updatedMs) / static_cast<double>(d_intervalMs);
    bucket.tokens = std::min<double>(d_burst, bucket.tokens + gained);
    bucket.updatedMs = nowMs;
  }
}

void RateLimiter::evictIdle(std::int64_t nowMs)
{
  for (auto it = d_clients.begin(); it != d_clients.end();) {
    refill(it->second, nowMs);
    it = it->second.tokens >= d_burst ? d_clients.erase(it) : std::next(it);
  }
}

std::string clientNetwork(const std::string& client, int v4Bits, int v6Bits)
{
  unsigned char bytes[16] {};
  int family = client.find(':') == std::string::npos ? AF_INET : AF_INET6;
  if (inet_pton(family, client.c_str(), bytes) != 1)
    return client;
  int bits = family == AF_INET ? v4Bits : v6Bits;
  int size = family == AF_INET ? 4 : 16;
  for (int index = 0; index < size; ++index) {
    int keep = std::clamp(bits - index * 8, 0, 8);
    bytes[index] &= static_cast<unsigned char>(0xff00 >> keep);
  }
  char text[INET6_ADDRSTRLEN] {};
  inet_ntop(family, bytes, text, sizeof text);
  return std::string(text) + '/' + std::to_string(bits);
}

bool RateLimiter::allow(const std::string& client, std::int64_t nowMs)
{
  auto found = d_clients.find(client);
  if (found == d_clients.end()) {
    if (d_clients.size() >= d_maxClients)
      evictIdle(nowMs);
    if (d_clients.size() >= d_maxClients)
      return false;
    found = d_clients.emplace(client, Bucket { static_cast<double>(d_burst), nowMs }).first;
  }
  Bucket& bucket = found->second;
  refill(bucket, nowMs);
  if (bucket.tokens < 1.0)
    return false;
  bucket.tokens -= 1.0;
  return true;
}

} // namespace shun::web
