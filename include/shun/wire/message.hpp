#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

namespace shun::wire {

/// DNS constants used on the packet path (RFC 1035, 2136, 6891).
namespace dns {
inline constexpr std::size_t kHeaderSize = 12;
inline constexpr std::size_t kMaxName = 255;
inline constexpr std::size_t kOptSize = 11; ///< an OPT RR without options
inline constexpr std::uint16_t kTypeA = 1, kTypeNs = 2, kTypeSoa = 6, kTypeTxt = 16, kTypeOpt = 41;
inline constexpr std::uint16_t kTypeTsig = 250, kTypeIxfr = 251, kTypeAxfr = 252, kTypeMailb = 253,
                               kTypeMaila = 254, kTypeAny = 255;
inline constexpr std::uint16_t kClassIn = 1, kClassCh = 3, kClassAny = 255;
inline constexpr std::uint8_t kNoError = 0, kFormErr = 1, kServFail = 2, kNxDomain = 3, kNotImp = 4,
                              kRefused = 5;
inline constexpr std::uint16_t kBadVers = 16; ///< extended rcode (RFC 6891 §9)
inline constexpr std::uint16_t kBadCookie = 23; ///< extended rcode (RFC 7873 §8)
inline constexpr std::uint16_t kOptionCookie = 10; ///< EDNS option code (RFC 7873 §4)
} // namespace dns

/// What the parser decided about a packet before any lookup.
enum class ParseStatus : std::uint8_t {
  Ok, ///< one well-formed question
  Drop, ///< shorter than a header or QR=1: no reply at all
  FormErr, ///< answer FORMERR with the header only
  NotImp, ///< opcode other than QUERY: answer NOTIMP with the header only
};

/// A parsed query. Fields after the header are valid only when status is Ok. Trivially constructible:
/// the parser fills it, nothing is zeroed in advance (the packet path pays for what it uses).
struct ParsedQuery {
  ParseStatus status;
  std::uint16_t id;
  std::uint8_t opcode;
  bool rd;
  std::uint16_t qtype;
  std::uint16_t qclass;
  std::uint16_t questionEnd; ///< offset after QCLASS: the question is bytes [12, questionEnd)
  std::uint8_t qnameLength; ///< wire length including the root label (1..255)
  bool hasOpt;
  bool doBit;
  std::uint8_t ednsVersion;
  std::uint16_t udpSize; ///< the client's advertised size as sent (hasOpt only)
  /// The COOKIE option (RFC 7873): its data starts at cookieOffset in the query and is cookieLength bytes
  /// (0: none; an empty or a second COOKIE option makes it 1, malformed). Not judged here: query/ decides.
  std::uint16_t cookieOffset;
  std::uint16_t cookieLength;
  char qname[dns::kMaxName + 1]; ///< the question name, lower-case wire form with the root label

  std::string_view lowerName() const noexcept { return { qname, qnameLength }; }
};

/// Parses the header, the question and an OPT RR (RFC 6891) in the additional section. Never throws,
/// never allocates, never reads past query. A second OPT or an OPT not owned by the root is FORMERR;
/// other trailing data that does not parse is ignored (as rbldnsd).
void parseQuery(std::span<const std::uint8_t> query, ParsedQuery& parsed) noexcept;

/// Copies length bytes of a wire name to out, lower-casing ASCII letters (label lengths, < 64, pass).
void copyLowerName(const std::uint8_t* source, std::size_t length, char* out) noexcept;

/// Appends big-endian fields to a caller's buffer without ever writing past limit. A write that does not
/// fit writes nothing and returns false. No allocation.
class PacketWriter {
public:
  /// out: the destination; limit: the largest message allowed (clamped to out.size()).
  PacketWriter(std::span<std::uint8_t> out, std::size_t limit) noexcept
      : d_out(out.data())
      , d_limit(limit < out.size() ? limit : out.size())
  {
  }

  std::size_t size() const noexcept { return d_size; }
  std::size_t limit() const noexcept { return d_limit; }
  std::size_t room() const noexcept { return d_limit - d_size; }
  std::uint8_t* data() noexcept { return d_out; }
  /// Forgets everything written after size (a mark taken earlier).
  void rewind(std::size_t size) noexcept { d_size = size; }
  /// Lowers the limit (e.g. to keep room for an OPT RR); returns the previous limit.
  std::size_t reserve(std::size_t bytes) noexcept;
  void restoreLimit(std::size_t limit) noexcept { d_limit = limit; }

  bool put8(std::uint8_t value) noexcept
  {
    if (d_size + 1 > d_limit)
      return false;
    d_out[d_size++] = value;
    return true;
  }
  bool put16(std::uint16_t value) noexcept
  {
    if (d_size + 2 > d_limit)
      return false;
    patch16(d_size, value);
    d_size += 2;
    return true;
  }
  bool put32(std::uint32_t value) noexcept
  {
    if (d_size + 4 > d_limit)
      return false;
    patch32(d_size, value);
    d_size += 4;
    return true;
  }
  bool putBytes(const void* data, std::size_t length) noexcept
  {
    if (length > d_limit - d_size)
      return false;
    if (length > 0)
      std::memcpy(d_out + d_size, data, length);
    d_size += length;
    return true;
  }
  /// Writes value at an offset already written (counts, RDLENGTH, TTL patches).
  void patch16(std::size_t offset, std::uint16_t value) noexcept
  {
    d_out[offset] = static_cast<std::uint8_t>(value >> 8);
    d_out[offset + 1] = static_cast<std::uint8_t>(value);
  }
  void patch32(std::size_t offset, std::uint32_t value) noexcept
  {
    patch16(offset, static_cast<std::uint16_t>(value >> 16));
    patch16(offset + 2, static_cast<std::uint16_t>(value));
  }

  /// Writes an RR header whose owner is a compression pointer to offset; returns the offset of RDLENGTH
  /// (patched by endRdata), or 0 if it does not fit.
  std::size_t beginRr(
      std::uint16_t ownerOffset, std::uint16_t type, std::uint16_t rrClass, std::uint32_t ttl) noexcept;
  /// Sets RDLENGTH from the bytes written since beginRr.
  void endRdata(std::size_t rdlengthOffset) noexcept;

private:
  std::uint8_t* d_out;
  std::size_t d_limit;
  std::size_t d_size = 0;
};

/// Offset of the first RR after the header and question, and what an RR at offset holds. Used by tests
/// and the answer writer to walk RRs it wrote (owners are 2-byte pointers there).
struct WrittenRr {
  std::uint16_t type;
  std::size_t ttlOffset;
  std::size_t rdataOffset;
  std::uint16_t rdlength;
};

/// Reads the RR written at offset by PacketWriter::beginRr (owner: a 2-byte pointer).
WrittenRr writtenRrAt(const std::uint8_t* packet, std::size_t offset) noexcept;

} // namespace shun::wire
