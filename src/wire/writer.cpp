#include "shun/wire/message.hpp"

namespace shun::wire {

std::size_t PacketWriter::reserve(std::size_t bytes) noexcept
{
  std::size_t previous = d_limit;
  d_limit = bytes <= d_limit - d_size ? d_limit - bytes : d_size;
  return previous;
}

std::size_t PacketWriter::beginRr(
    std::uint16_t ownerOffset, std::uint16_t type, std::uint16_t rrClass, std::uint32_t ttl) noexcept
{
  if (d_size + 12 > d_limit)
    return 0;
  patch16(d_size, static_cast<std::uint16_t>(0xC000 | ownerOffset));
  patch16(d_size + 2, type);
  patch16(d_size + 4, rrClass);
  patch32(d_size + 6, ttl);
  d_size += 12;
  return d_size - 2;
}

void PacketWriter::endRdata(std::size_t rdlengthOffset) noexcept
{
  patch16(rdlengthOffset, static_cast<std::uint16_t>(d_size - rdlengthOffset - 2));
}

WrittenRr writtenRrAt(const std::uint8_t* packet, std::size_t offset) noexcept
{
  const std::uint8_t* rr = packet + offset + 2;
  return WrittenRr { static_cast<std::uint16_t>(rr[0] << 8 | rr[1]), offset + 6, offset + 12,
    static_cast<std::uint16_t>(rr[8] << 8 | rr[9]) };
}

} // namespace shun::wire
