#include "shun/rrl/rrl.hpp"

#include <arpa/inet.h>
#include <charconv>
#include <stdexcept>
#include <string>

namespace shun::rrl {

const char* className(AnswerClass answerClass) noexcept
{
  switch (answerClass) {
  case AnswerClass::Answer:
    return "answer";
  case AnswerClass::NxDomain:
    return "nxdomain";
  case AnswerClass::NoData:
    return "nodata";
  case AnswerClass::Error:
    break;
  }
  return "error";
}

bool Prefix::contains(const query::ClientAddress& client) const noexcept
{
  if (!isV6) {
    bool mapped = client.isV6 && (client.v6 >> 32) == 0xffff;
    if (client.isV6 && !mapped)
      return false;
    auto address = static_cast<std::uint32_t>(mapped ? client.v6 : client.v4);
    return length == 0 || (address ^ static_cast<std::uint32_t>(bits)) >> (32 - length) == 0;
  }
  if (!client.isV6)
    return false;
  return length == 0 || (client.v6 ^ bits) >> (128 - length) == 0;
}

Prefix parsePrefix(std::string_view text)
{
  std::string address(text.substr(0, text.find('/')));
  Prefix prefix;
  unsigned char bytes[16];
  if (inet_pton(AF_INET, address.c_str(), bytes) == 1) {
    prefix.bits = static_cast<std::uint32_t>(bytes[0]) << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3];
    prefix.length = 32;
  } else if (inet_pton(AF_INET6, address.c_str(), bytes) == 1) {
    prefix.isV6 = true;
    for (unsigned char byte : bytes)
      prefix.bits = prefix.bits << 8 | byte;
    prefix.length = 128;
  } else {
    throw std::invalid_argument("'" + std::string(text) + "' is not an IP address or prefix");
  }
  if (address.size() < text.size()) {
    auto lengthText = text.substr(address.size() + 1);
    unsigned length = 0;
    auto [end, error] = std::from_chars(lengthText.data(), lengthText.data() + lengthText.size(), length);
    if (error != std::errc() || end != lengthText.data() + lengthText.size() || lengthText.empty()
        || length > prefix.length)
      throw std::invalid_argument("'" + std::string(text) + "' has a bad prefix length");
    prefix.length = static_cast<std::uint8_t>(length);
  }
  unsigned width = prefix.isV6 ? 128 : 32;
  if (prefix.length < width) {
    store::Ip6 host = prefix.length == 0 ? ~store::Ip6(0) : (store::Ip6(1) << (width - prefix.length)) - 1;
    prefix.bits &= ~host;
  }
  if (!prefix.isV6)
    prefix.bits &= 0xffffffffu;
  return prefix;
}

} // namespace shun::rrl
