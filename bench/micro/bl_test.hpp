#pragma once
// Addresses and queries for the microbenchmarks' synthetic zone, bl.test.

#include "shun/store/address.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace shun::bench {

/// The dotted-quad spelling of a (host-order) IPv4 address.
inline std::string dotted(store::Ip4 a)
{
  return std::to_string(a >> 24) + "." + std::to_string((a >> 16) & 255) + "."
      + std::to_string((a >> 8) & 255) + "." + std::to_string(a & 255);
}

/// A DNS query (RD, one question, no EDNS) for the reversed-octet name of address in bl.test.
inline std::vector<std::uint8_t> queryFor(store::Ip4 address, std::uint16_t qtype)
{
  std::vector<std::uint8_t> q { 0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0 };
  for (int octet = 0; octet < 4; ++octet) {
    auto label = std::to_string((address >> (8 * octet)) & 255);
    q.push_back(static_cast<std::uint8_t>(label.size()));
    q.insert(q.end(), label.begin(), label.end());
  }
  for (const char* label : { "bl", "test" }) {
    q.push_back(static_cast<std::uint8_t>(std::char_traits<char>::length(label)));
    q.insert(q.end(), label, label + std::char_traits<char>::length(label));
  }
  q.insert(q.end(), { 0, static_cast<std::uint8_t>(qtype >> 8), static_cast<std::uint8_t>(qtype), 0, 1 });
  return q;
}

} // namespace shun::bench
