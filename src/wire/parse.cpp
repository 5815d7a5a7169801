#include "shun/wire/message.hpp"

#include <cstring>

namespace shun::wire {
namespace {

std::uint16_t read16(const std::uint8_t* p) noexcept
{
  return static_cast<std::uint16_t>(p[0] << 8 | p[1]);
}

// Lower-cases ASCII letters in 8 bytes at once; every other byte is unchanged (label lengths are < 64).
std::uint64_t lower8(std::uint64_t x) noexcept
{
  constexpr std::uint64_t kOnes = 0x0101010101010101ull;
  std::uint64_t heptets = x & (0x7f * kOnes);
  std::uint64_t atLeastA = heptets + (0x80 - 'A') * kOnes; // high bit set where the byte >= 'A'
  std::uint64_t aboveZ = heptets + (0x7f - 'Z') * kOnes; // high bit set where the byte > 'Z'
  std::uint64_t upper = atLeastA & ~aboveZ & ~x & (0x80 * kOnes);
  return x | (upper >> 2);
}

// Copies the question name in lower case. Compression, extended label types and names over 255 bytes
// are FORMERR (RFC 1035 §4.1.4 allows pointers, but no client compresses a lone question).
bool parseQname(std::span<const std::uint8_t> query, std::size_t& pos, ParsedQuery& parsed) noexcept
{
  std::size_t start = pos;
  while (true) {
    if (pos >= query.size() || query[pos] > 63)
      return false;
    std::uint8_t labelLength = query[pos];
    pos += 1 + labelLength;
    if (labelLength == 0)
      break;
  }
  std::size_t length = pos - start;
  if (length > dns::kMaxName)
    return false;
  copyLowerName(query.data() + start, length, parsed.qname);
  parsed.qnameLength = static_cast<std::uint8_t>(length);
  return true;
}

// Skips an owner name of a later RR (pointers allowed there; a pointer ends the name). Sets isRoot.
bool skipName(std::span<const std::uint8_t> query, std::size_t& pos, bool& isRoot) noexcept
{
  isRoot = pos < query.size() && query[pos] == 0;
  for (std::size_t labels = 0; labels < 128; ++labels) {
    if (pos >= query.size())
      return false;
    std::uint8_t labelLength = query[pos];
    if ((labelLength & 0xC0) == 0xC0) {
      pos += 2;
      return pos <= query.size();
    }
    if (labelLength > 63)
      return false;
    pos += 1 + labelLength;
    if (labelLength == 0)
      return true;
  }
  return false;
}

// Finds the COOKIE option in an OPT RR's RDATA (RFC 6891 §6.1.2: {code, length, data} options). An option
// running past the RDATA ends the walk; the ones before it count.
void parseOptions(const std::uint8_t* packet, std::size_t pos, std::size_t end, ParsedQuery& parsed) noexcept
{
  while (pos + 4 <= end) {
    std::uint16_t code = read16(packet + pos), length = read16(packet + pos + 2);
    if (pos + 4 + length > end)
      return;
    if (code == dns::kOptionCookie) {
      parsed.cookieOffset = static_cast<std::uint16_t>(pos + 4);
      // An empty cookie or a second one: length 1, malformed (0 means "no COOKIE option").
      parsed.cookieLength = parsed.cookieLength == 0 && length > 0 ? length : 1;
    }
    pos += 4 + length;
  }
}

// Walks the RRs after the question looking for OPT (RFC 6891 §6.1.1: at most one, in ADDITIONAL, owned
// by the root). Data that does not parse ends the walk: it is ignored, as trailing junk.
bool parseOpt(std::span<const std::uint8_t> query, std::size_t pos, ParsedQuery& parsed) noexcept
{
  const std::uint8_t* header = query.data();
  std::size_t before = static_cast<std::size_t>(read16(header + 6)) + read16(header + 8);
  std::size_t total = before + read16(header + 10);
  for (std::size_t index = 0; index < total; ++index) {
    bool isRoot = false;
    if (!skipName(query, pos, isRoot) || pos + 10 > query.size())
      return true;
    const std::uint8_t* rr = query.data() + pos;
    std::uint16_t rdlength = read16(rr + 8);
    if (pos + 10 + rdlength > query.size())
      return true;
    if (read16(rr) == dns::kTypeOpt && index >= before) {
      if (parsed.hasOpt || !isRoot)
        return false;
      parsed.hasOpt = true;
      parsed.udpSize = read16(rr + 2);
      parsed.ednsVersion = rr[5];
      parsed.doBit = (rr[6] & 0x80) != 0;
      parseOptions(query.data(), pos + 10, pos + 10 + rdlength, parsed);
    }
    pos += 10 + rdlength;
  }
  return true;
}

} // namespace

void copyLowerName(const std::uint8_t* source, std::size_t length, char* out) noexcept
{
  auto chunkAt = [&](std::size_t i) {
    std::uint64_t chunk;
    std::memcpy(&chunk, source + i, 8);
    chunk = lower8(chunk);
    std::memcpy(out + i, &chunk, 8);
  };
  if (length >= 8) {
    for (std::size_t i = 0; i + 8 <= length; i += 8)
      chunkAt(i);
    chunkAt(length - 8); // the tail, overlapping bytes already done (same result)
    return;
  }
  for (std::size_t i = 0; i < length; ++i) {
    std::uint8_t c = source[i];
    out[i] = static_cast<char>(static_cast<unsigned>(c - 'A') < 26u ? c | 0x20 : c);
  }
}

void parseQuery(std::span<const std::uint8_t> query, ParsedQuery& parsed) noexcept
{
  // Not a query? Drop it on the floor.
  if (query.size() < dns::kHeaderSize || (query[2] & 0x80) != 0) {
    parsed.status = ParseStatus::Drop;
    return;
  }
  parsed.id = read16(query.data());
  parsed.opcode = static_cast<std::uint8_t>((query[2] >> 3) & 0x0F);
  parsed.rd = (query[2] & 0x01) != 0;
  parsed.hasOpt = false;
  parsed.doBit = false;
  parsed.ednsVersion = 0;
  parsed.udpSize = 0;
  parsed.cookieOffset = 0;
  parsed.cookieLength = 0;
  if (parsed.opcode != 0) {
    parsed.status = ParseStatus::NotImp;
    return;
  }
  std::size_t pos = dns::kHeaderSize;
  if (read16(query.data() + 4) != 1 || !parseQname(query, pos, parsed) || pos + 4 > query.size()) {
    parsed.status = ParseStatus::FormErr;
    return;
  }
  parsed.qtype = read16(query.data() + pos);
  parsed.qclass = read16(query.data() + pos + 2);
  pos += 4;
  parsed.questionEnd = static_cast<std::uint16_t>(pos);
  parsed.status = parseOpt(query, pos, parsed) ? ParseStatus::Ok : ParseStatus::FormErr;
}

} // namespace shun::wire
