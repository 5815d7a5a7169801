#include "xfr/message_builder.hpp"

#include "shun/wire/message.hpp"

namespace shun::xfr {

MessageBuilder::MessageBuilder(
    std::span<const std::uint8_t> query, std::size_t questionEnd, std::string zone, std::size_t limit)
    : d_question(query.begin() + wire::dns::kHeaderSize, query.begin() + questionEnd)
    , d_id(static_cast<std::uint16_t>(query[0] << 8 | query[1]))
    , d_zone(std::move(zone))
    , d_limit(limit)
{
  d_message.reserve(limit);
  start();
}

void MessageBuilder::start()
{
  d_message.clear();
  d_count = 0;
  d_zoneOffset = 0;
  put16(d_id);
  put16(0x8400); // QR, opcode QUERY, AA; RCODE NOERROR
  put16(d_first ? 1 : 0);
  put16(0);
  put16(0);
  put16(0);
  if (d_first)
    d_message.insert(d_message.end(), d_question.begin(), d_question.end());
}

void MessageBuilder::put16(std::uint16_t value)
{
  d_message.push_back(static_cast<std::uint8_t>(value >> 8));
  d_message.push_back(static_cast<std::uint8_t>(value));
}

void MessageBuilder::put32(std::uint32_t value)
{
  put16(static_cast<std::uint16_t>(value >> 16));
  put16(static_cast<std::uint16_t>(value));
}

// The owner's own labels, then the zone's name: written in full the first time in a message, later a
// pointer to it (RFC 1035 4.1.4).
void MessageBuilder::putName(std::string_view relative)
{
  d_message.insert(d_message.end(), relative.begin(), relative.end());
  if (d_zoneOffset) {
    put16(static_cast<std::uint16_t>(0xc000 | d_zoneOffset));
    return;
  }
  d_zoneOffset = d_message.size();
  d_message.insert(d_message.end(), d_zone.begin(), d_zone.end());
}

bool MessageBuilder::add(const zone::ZoneRecord& record)
{
  std::size_t need = record.owner.size() + d_zone.size() + 10 + record.rdata.size();
  if (d_count > 0 && d_message.size() + need > d_limit)
    return false;
  putName(record.owner);
  put16(record.type);
  put16(wire::dns::kClassIn);
  put32(record.ttl);
  put16(static_cast<std::uint16_t>(record.rdata.size()));
  d_message.insert(d_message.end(), record.rdata.begin(), record.rdata.end());
  ++d_count;
  d_message[6] = static_cast<std::uint8_t>(d_count >> 8);
  d_message[7] = static_cast<std::uint8_t>(d_count);
  return true;
}

std::vector<std::uint8_t> MessageBuilder::take()
{
  std::vector<std::uint8_t> message;
  message.reserve(d_limit);
  message.swap(d_message);
  if (d_signer)
    d_signer->sign(message);
  d_first = false;
  start();
  return message;
}

} // namespace shun::xfr
