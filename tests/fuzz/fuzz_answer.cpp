// libFuzzer target for query::answer: any bytes, UDP and TCP, against the demo snapshot. Checks that the
// answer stays inside its limit and, when a reply is sent, that it parses and echoes the query ID; for
// queries ldns reads as one clean question (with or without one OPT record), the fast path must equal the
// ldns reference: RCODE, TC, section sizes and the OPT record's presence and UDP size. A second pass
// answers with DNS cookies on: a COOKIE option of a bad length must give FORMERR, any other must come
// back with its client cookie and a 16-byte server cookie.
#include "query/fixture.hpp"
#include "shun/query/cookies.hpp"
#include "support/reference_answer.hpp"

#include <cstdlib>

namespace {

using namespace shun;

const store::Snapshot& snapshot()
{
  static auto demo = testing::demoSnapshot();
  return *demo;
}

void check(bool condition)
{
  if (!condition)
    std::abort();
}

std::uint16_t read16(const std::uint8_t* data)
{
  return static_cast<std::uint16_t>(data[0] << 8 | data[1]);
}

// An OPT record (RFC 6891 section 6.1.2) at pos running exactly to the end: root owner, type 41, class
// (UDP size), TTL (extended RCODE, version, flags), and RDATA of whole options.
bool isCleanOpt(const std::uint8_t* data, std::size_t size, std::size_t pos)
{
  if (pos + 11 > size || data[pos] != 0 || read16(data + pos + 1) != 41)
    return false;
  std::size_t length = read16(data + pos + 9);
  pos += 11;
  if (pos + length != size)
    return false;
  while (pos < size) {
    if (pos + 4 > size || pos + 4 + read16(data + pos + 2) > size)
      return false;
    pos += 4 + read16(data + pos + 2);
  }
  return true;
}

// A query both parsers read the same way: header, one uncompressed question, then either nothing or
// (ARCOUNT 1) one well-formed OPT record, and nothing else (ldns rejects trailing junk that the fast
// path ignores). EDNS queries are compared too: OPT handling is where the two paths differ most.
bool isClean(const std::uint8_t* data, std::size_t size)
{
  if (size < 12 || data[4] != 0 || data[5] != 1 || data[6] || data[7] || data[8] || data[9] || data[10]
      || data[11] > 1)
    return false;
  std::size_t pos = 12;
  while (pos < size && data[pos] != 0) {
    if (data[pos] > 63)
      return false;
    pos += 1 + data[pos];
  }
  if (pos >= size)
    return false;
  pos += 5; // the root label, QTYPE and QCLASS
  return data[11] == 0 ? pos == size : isCleanOpt(data, size, pos);
}

query::ServerCookies& cookies()
{
  static query::ServerCookies signer({ query::CookieSecret { 1, 2, 3 } });
  return signer;
}

// With cookies on: the answer stays within its limit, and a judged COOKIE shows in the rcode or the OPT.
void checkCookies(std::span<const std::uint8_t> query, std::uint8_t* out)
{
  query::AnswerOptions options;
  options.cookies = &cookies();
  auto result = query::answer(query, snapshot(), 1000, {}, query::Transport::Udp, options, { out, 1232 });
  check(result.length <= 1232u);
  if (result.length == 0 || result.cookie == query::CookieState::None)
    return;
  auto response = testing::readResponse(out, result.length);
  check(response.ok && response.hasOpt);
  if (result.cookie == query::CookieState::Malformed) {
    check(response.rcode == 1);
    return;
  }
  // The OPT is the last RR and the cookie its last option: {10, 24, client cookie, server cookie}.
  const std::uint8_t* option = out + result.length - 28;
  check(result.length > 40 && read16(option) == 10 && read16(option + 2) == 24 && option[12] == 1);
}

} // namespace

// NOLINTNEXTLINE(readability-identifier-naming): the name libFuzzer calls
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  static std::uint8_t out[65535];
  std::span<const std::uint8_t> query(data, size);
  checkCookies(query, out);
  for (auto transport : { query::Transport::Udp, query::Transport::Tcp }) {
    query::AnswerOptions options;
    options.minimalAnswers = size % 2 == 0;
    auto result = query::answer(query, snapshot(), 1000, {}, transport, options, out);
    check(result.length <= (transport == query::Transport::Udp ? 1232u : 65535u));
    if (result.length == 0)
      continue;
    auto response = testing::readResponse(out, result.length);
    check(response.ok && response.qr && out[0] == data[0] && out[1] == data[1]);
    if (!isClean(data, size))
      continue;
    auto expected = query::referenceAnswer(query, snapshot(), 1000, {}, transport, options);
    auto reference = testing::readResponse(expected.data(), expected.size());
    check(reference.ok && reference.rcode == response.rcode && reference.tc == response.tc
        && reference.answer.size() == response.answer.size()
        && reference.authority.size() == response.authority.size() && reference.hasOpt == response.hasOpt
        && reference.optSize == response.optSize
        && reference.additional.size() == response.additional.size());
  }
  return 0;
}
