#include "shun/query/answer.hpp"
#include "shun/wire/message.hpp"

#include <cstring>

namespace shun::query {
namespace {

std::uint16_t read16(const std::uint8_t* p) noexcept
{
  return static_cast<std::uint16_t>(p[0] << 8 | p[1]);
}

// Skips a name at pos (labels, ending in the root or a pointer); false when it runs past end.
bool skipName(const std::uint8_t* packet, std::size_t end, std::size_t& pos) noexcept
{
  while (pos < end) {
    std::uint8_t length = packet[pos];
    if ((length & 0xC0) == 0xC0) {
      pos += 2;
      return pos <= end;
    }
    if (length > 63)
      return false;
    pos += 1 + length;
    if (length == 0)
      return pos <= end;
  }
  return false;
}

} // namespace

// The answers shund writes hold at most one additional RR, the OPT, last: what a slip keeps of the
// additional section is exactly that.
std::size_t slipAnswer(std::span<std::uint8_t> out, std::size_t length, bool badCookie) noexcept
{
  namespace dns = wire::dns;
  std::uint8_t* packet = out.data();
  if (length < dns::kHeaderSize || length > out.size() || read16(packet + 4) != 1 || read16(packet + 10) > 1)
    return 0;
  std::size_t pos = dns::kHeaderSize;
  if (!skipName(packet, length, pos) || pos + 4 > length)
    return 0;
  std::size_t questionEnd = pos + 4;
  pos = questionEnd;
  std::size_t records = static_cast<std::size_t>(read16(packet + 6)) + read16(packet + 8);
  for (std::size_t i = 0; i < records; ++i) {
    if (!skipName(packet, length, pos) || pos + 10 > length)
      return 0;
    pos += 10 + read16(packet + pos + 8);
  }
  if (pos > length)
    return 0;
  std::size_t optLength = length - pos;
  bool hasOpt = read16(packet + 10) == 1;
  if (hasOpt && (optLength < dns::kOptSize || packet[pos] != 0 || read16(packet + pos + 1) != dns::kTypeOpt))
    return 0;
  std::memmove(packet + questionEnd, packet + pos, optLength);
  std::memset(packet + 6, 0, 4); // ANCOUNT, NSCOUNT
  if (badCookie && hasOpt) {
    packet[3] = static_cast<std::uint8_t>((packet[3] & 0xF0) | (dns::kBadCookie & 0x0F));
    packet[questionEnd + 5] = static_cast<std::uint8_t>(dns::kBadCookie >> 4); // OPT's extended RCODE
  } else {
    packet[2] |= 0x02; // TC
  }
  return questionEnd + optLength;
}

} // namespace shun::query
