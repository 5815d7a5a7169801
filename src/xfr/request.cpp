#include "xfr/request.hpp"

#include "shun/wire/message.hpp"

namespace shun::xfr {
namespace {

namespace dns = wire::dns;

std::uint16_t get16(std::span<const std::uint8_t> bytes, std::size_t at)
{
  return static_cast<std::uint16_t>(bytes[at] << 8 | bytes[at + 1]);
}

// Skips a name that may end in a compression pointer; nullopt if it runs past the message.
std::optional<std::size_t> skipName(std::span<const std::uint8_t> bytes, std::size_t at)
{
  for (int labels = 0; at < bytes.size() && labels < 128; ++labels) {
    std::uint8_t length = bytes[at];
    if (length == 0)
      return at + 1;
    if ((length & 0xc0) == 0xc0)
      return at + 2 <= bytes.size() ? std::optional(at + 2) : std::nullopt;
    if (length & 0xc0)
      return std::nullopt;
    at += 1 + length;
  }
  return std::nullopt;
}

// The question name, uncompressed (a question's name never points backwards), lower-cased.
std::optional<std::size_t> readQname(std::span<const std::uint8_t> bytes, std::string& name)
{
  std::size_t at = dns::kHeaderSize;
  while (at < bytes.size()) {
    std::uint8_t length = bytes[at];
    if (length & 0xc0 || at + 1 + length > bytes.size() || name.size() + 1 + length > dns::kMaxName)
      return std::nullopt;
    name.push_back(static_cast<char>(length));
    if (length == 0)
      return at + 1;
    for (std::size_t i = 0; i < length; ++i) {
      char c = static_cast<char>(bytes[at + 1 + i]);
      name.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
    }
    at += 1 + length;
  }
  return std::nullopt;
}

Request formErr(Request request, std::string why)
{
  request.status = Request::Status::FormErr;
  request.why = std::move(why);
  return request;
}

// RFC 1995 3: the client's version is the SOA in the authority section.
Request readClientSoa(std::span<const std::uint8_t> bytes, Request request)
{
  if (get16(bytes, 8) == 0)
    return formErr(request, "IXFR without a SOA in the authority section");
  std::size_t at = request.questionEnd;
  for (std::uint16_t answers = get16(bytes, 6); answers > 0; --answers) { // none expected; skip them
    auto end = skipName(bytes, at);
    if (!end || *end + 10 > bytes.size())
      return formErr(request, "truncated answer section");
    at = *end + 10 + get16(bytes, *end + 8);
  }
  auto end = skipName(bytes, at);
  if (!end || *end + 10 > bytes.size())
    return formErr(request, "truncated authority section");
  if (get16(bytes, *end) != dns::kTypeSoa)
    return formErr(request, "IXFR authority record is not a SOA");
  if (get16(bytes, *end + 2) != dns::kClassIn)
    return formErr(request, "IXFR authority SOA is not of class IN");
  std::size_t rdata = *end + 10, rdataEnd = rdata + get16(bytes, *end + 8);
  auto mname = rdataEnd <= bytes.size() ? skipName(bytes, rdata) : std::nullopt;
  auto rname = mname ? skipName(bytes, *mname) : std::nullopt;
  if (!rname || *rname + 20 > rdataEnd)
    return formErr(request, "IXFR authority SOA is truncated");
  request.clientSerial = static_cast<std::uint32_t>(get16(bytes, *rname) << 16 | get16(bytes, *rname + 2));
  request.status = Request::Status::Ok;
  return request;
}

} // namespace

bool isTransferQuery(std::span<const std::uint8_t> query) noexcept
{
  if (query.size() < dns::kHeaderSize + 5 || (query[2] & 0x80) || (query[2] >> 3 & 15) != 0
      || get16(query, 4) != 1)
    return false;
  auto end = skipName(query, dns::kHeaderSize);
  if (!end || *end + 4 > query.size())
    return false;
  std::uint16_t qtype = get16(query, *end);
  return qtype == dns::kTypeAxfr || qtype == dns::kTypeIxfr;
}

Request parseRequest(std::span<const std::uint8_t> query)
{
  Request request;
  if (query.size() < dns::kHeaderSize)
    return formErr(request, "shorter than a header");
  request.id = get16(query, 0);
  auto end = readQname(query, request.zone);
  if (get16(query, 4) != 1 || !end || *end + 4 > query.size())
    return formErr(request, "no single well-formed question");
  request.qtype = get16(query, *end);
  request.qclass = get16(query, *end + 2);
  request.questionEnd = *end + 4;
  if (request.qclass != dns::kClassIn)
    return formErr(request, "question class is not IN");
  if (request.qtype == dns::kTypeIxfr)
    return readClientSoa(query, request);
  request.status = Request::Status::Ok;
  return request;
}

} // namespace shun::xfr
