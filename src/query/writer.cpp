#include "query/writer.hpp"

#include <cstring>

namespace shun::query::detail {
namespace {

namespace dns = wire::dns;
using wire::PacketWriter;

constexpr std::size_t kMaxMessage = 65535;
constexpr std::uint16_t kQuestionOffset = dns::kHeaderSize;

bool writeName(PacketWriter& writer, std::string_view name, const ZoneInPacket& zone) noexcept
{
  std::size_t prefix = store::zoneSuffixStart(name, zone.name);
  if (prefix == std::string_view::npos)
    return writer.putBytes(name.data(), name.size());
  return writer.putBytes(name.data(), prefix)
      && writer.put16(static_cast<std::uint16_t>(0xC000 | zone.offset));
}

bool writeSoaRdata(PacketWriter& writer, const store::SoaData& soa, const ZoneInPacket& zone) noexcept
{
  return writeName(writer, soa.mname, zone) && writeName(writer, soa.rname, zone) && writer.put32(soa.serial)
      && writer.put32(soa.refresh) && writer.put32(soa.retry) && writer.put32(soa.expire)
      && writer.put32(soa.minimum);
}

bool writeRdata(PacketWriter& writer, const PlannedRr& rr, const ZoneInPacket& zone) noexcept
{
  switch (rr.kind) {
  case RdataKind::Raw:
    return writer.putBytes(rr.data, rr.length);
  case RdataKind::Ns:
    return writeName(writer, { static_cast<const char*>(rr.data), rr.length }, zone);
  case RdataKind::Text:
    return writer.put8(static_cast<std::uint8_t>(rr.length)) && writer.putBytes(rr.data, rr.length);
  case RdataKind::Template: {
    char text[254];
    std::size_t length = store::expandTemplate(
        std::string_view(static_cast<const char*>(rr.data), rr.length), rr.key(), text);
    return writer.put8(static_cast<std::uint8_t>(length)) && writer.putBytes(text, length);
  }
  case RdataKind::Soa:
    return rr.soa && writeSoaRdata(writer, *rr.soa, zone);
  }
  return false;
}

// One RR owned by the name at ownerOffset; on failure nothing is left written.
bool writeRr(PacketWriter& writer, std::uint16_t ownerOffset, const PlannedRr& rr, std::uint32_t ttl,
    const ZoneInPacket& zone) noexcept
{
  std::size_t mark = writer.size();
  std::size_t rdlength = writer.beginRr(ownerOffset, rr.type, rr.rrClass, ttl);
  if (rdlength == 0 || !writeRdata(writer, rr, zone)) {
    writer.rewind(mark);
    return false;
  }
  writer.endRdata(rdlength);
  return true;
}

bool sameRr(const std::uint8_t* packet, std::size_t a, std::size_t b) noexcept
{
  wire::WrittenRr left = wire::writtenRrAt(packet, a);
  wire::WrittenRr right = wire::writtenRrAt(packet, b);
  return left.type == right.type && left.rdlength == right.rdlength
      && std::memcmp(packet + a + 4, packet + b + 4, 2) == 0 // class
      && std::memcmp(packet + left.rdataOffset, packet + right.rdataOffset, left.rdlength) == 0;
}

// ANSWER: every planned RR once (duplicates suppressed), or none with TC when they do not all fit.
std::uint16_t writeAnswers(
    PacketWriter& writer, const AnswerPlan& plan, const ZoneInPacket& zone, bool& truncated) noexcept
{
  std::size_t offsets[AnswerPlan::kMaxAnswers];
  std::uint16_t written = 0;
  std::size_t mark = writer.size();
  for (std::size_t i = 0; i < plan.count; ++i) {
    const PlannedRr& rr = plan.answers[i];
    std::size_t at = writer.size();
    if (!writeRr(writer, kQuestionOffset, rr, plan.count > 1 ? rrsetTtl(plan, rr.type) : rr.ttl, zone)) {
      truncated = true;
      break;
    }
    bool duplicate = false;
    for (std::uint16_t j = 0; j < written && !duplicate; ++j)
      duplicate = sameRr(writer.data(), offsets[j], at);
    if (duplicate)
      writer.rewind(at);
    else
      offsets[written++] = at;
  }
  if (truncated || plan.overflow) {
    truncated = true;
    writer.rewind(mark);
    return 0;
  }
  return written;
}

// AUTHORITY: the NS RRset is optional (left out when it does not fit); a negative answer's SOA is not.
std::uint16_t writeAuthority(
    PacketWriter& writer, const AnswerPlan& plan, const ZoneInPacket& zone, bool& truncated) noexcept
{
  if (plan.authority == Authority::None || !plan.zone)
    return 0;
  if (plan.authority == Authority::Soa) {
    const store::SoaData& soa = *plan.zone->soa;
    PlannedRr rr { dns::kTypeSoa, dns::kClassIn, 0, RdataKind::Soa, false, 0, nullptr, &soa, nullptr, 0 };
    truncated = !writeRr(writer, zone.offset, rr, negativeTtl(soa), zone);
    return truncated ? 0 : 1;
  }
  const store::NsData& ns = *plan.zone->ns;
  std::size_t mark = writer.size();
  std::uint16_t written = 0;
  for (const std::string& name : ns.names) {
    PlannedRr rr { dns::kTypeNs, dns::kClassIn, 0, RdataKind::Ns, false,
      static_cast<std::uint16_t>(name.size()), name.data(), nullptr, nullptr, 0 };
    if (!writeRr(writer, zone.offset, rr, ns.ttl, zone)) {
      writer.rewind(mark);
      return 0;
    }
    ++written;
  }
  return written;
}

void writeHeader(PacketWriter& writer, const wire::ParsedQuery& parsed, const AnswerPlan& plan) noexcept
{
  std::uint8_t flags
      = static_cast<std::uint8_t>(0x80 | parsed.opcode << 3 | (plan.aa ? 0x04 : 0) | (parsed.rd ? 1 : 0));
  writer.put16(parsed.id);
  writer.put8(flags);
  writer.put8(static_cast<std::uint8_t>(plan.rcode & 0x0F));
  for (int i = 0; i < 4; ++i)
    writer.put16(0);
}

void writeOpt(PacketWriter& writer, const wire::ParsedQuery& parsed, const AnswerPlan& plan,
    const AnswerOptions& options, const CookieReply& cookie) noexcept
{
  writer.put8(0); // root owner
  writer.put16(dns::kTypeOpt);
  writer.put16(advertisedUdpSize(options));
  writer.put32(static_cast<std::uint32_t>(plan.rcode >> 4) << 24 | (parsed.doBit ? 0x8000u : 0u));
  if (cookie.length == 0) {
    writer.put16(0);
    return;
  }
  writer.put16(static_cast<std::uint16_t>(4 + cookie.length));
  writer.put16(dns::kOptionCookie);
  writer.put16(cookie.length);
  writer.putBytes(cookie.data, cookie.length);
}

} // namespace

std::size_t responseLimit(
    const wire::ParsedQuery& query, Transport transport, const AnswerOptions& options) noexcept
{
  if (transport == Transport::Tcp)
    return kMaxMessage;
  if (!query.hasOpt)
    return 512;
  std::size_t size = query.udpSize < options.maxUdpPayload ? query.udpSize : options.maxUdpPayload;
  return size < 512 ? 512 : size;
}

std::uint16_t advertisedUdpSize(const AnswerOptions& options) noexcept
{
  return options.maxUdpPayload < 512 ? 512 : options.maxUdpPayload;
}

std::uint32_t rrsetTtl(const AnswerPlan& plan, std::uint16_t type) noexcept
{
  std::uint32_t ttl = UINT32_MAX;
  for (std::size_t i = 0; i < plan.count; ++i)
    if (plan.answers[i].type == type && plan.answers[i].ttl < ttl)
      ttl = plan.answers[i].ttl;
  return ttl;
}

std::uint32_t negativeTtl(const store::SoaData& soa) noexcept
{
  return soa.ttl < soa.minimum ? soa.ttl : soa.minimum;
}

Result writeAnswer(std::span<const std::uint8_t> query, const wire::ParsedQuery& parsed,
    const AnswerPlan& plan, Transport transport, const AnswerOptions& options, std::span<std::uint8_t> out,
    const CookieReply& cookie) noexcept
{
  Result result;
  result.cookie = cookie.state;
  result.malformed = parsed.status == wire::ParseStatus::FormErr;
  result.rcode = static_cast<std::uint8_t>(plan.rcode);
  if (plan.outcome == Outcome::Drop)
    return result;
  PacketWriter writer(out, responseLimit(parsed, transport, options));
  if (writer.limit() < 512)
    return result; // the caller's buffer breaks the contract: drop rather than answer wrongly
  writeHeader(writer, parsed, plan);
  if (plan.outcome == Outcome::HeaderOnly) {
    result.length = writer.size();
    return result;
  }
  result.qtype = parsed.qtype;
  result.zone = plan.zone;
  result.access = plan.access;
  result.accessKey = plan.accessKey;
  result.accessLabel = static_cast<std::uint16_t>(
      plan.access != store::AccessCheck::None ? dns::kHeaderSize + plan.accessLabel : 0);
  writer.patch16(4, 1);
  writer.putBytes(query.data() + kQuestionOffset, parsed.questionEnd - kQuestionOffset);
  std::size_t optSize = dns::kOptSize + (cookie.length ? 4 + cookie.length : 0);
  std::size_t limit = parsed.hasOpt ? writer.reserve(optSize) : writer.limit();
  ZoneInPacket zone;
  if (plan.zone)
    zone = { plan.zone->name,
      static_cast<std::uint16_t>(kQuestionOffset + parsed.qnameLength - plan.zone->name.size()) };
  bool truncated = false;
  std::uint16_t answers = writeAnswers(writer, plan, zone, truncated);
  std::uint16_t authority = truncated ? 0 : writeAuthority(writer, plan, zone, truncated);
  writer.restoreLimit(limit);
  if (parsed.hasOpt)
    writeOpt(writer, parsed, plan, options, cookie);
  writer.patch16(6, answers);
  writer.patch16(8, authority);
  writer.patch16(10, parsed.hasOpt ? 1 : 0);
  if (truncated)
    writer.data()[2] |= 0x02;
  result.length = writer.size();
  result.truncated = truncated;
  result.answerCount = answers;
  result.listed = answers > 0 && plan.listed();
  return result;
}

} // namespace shun::query::detail
