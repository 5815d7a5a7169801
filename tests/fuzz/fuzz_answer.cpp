// libFuzzer target for query::answer: any bytes, UDP and TCP, against the demo snapshot. Checks that the
// answer stays inside its limit and, when a reply is sent, that it parses and echoes the query ID; for
// queries ldns reads as one clean question, the fast path must equal the ldns reference.
#include "query/fixture.hpp"
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

// A query both parsers read the same way: header, one uncompressed question, at most one OPT and
// nothing else (ldns rejects trailing junk that the fast path ignores).
bool isClean(const std::uint8_t* data, std::size_t size)
{
  if (size < 12 || data[4] != 0 || data[5] != 1 || data[6] || data[7] || data[8] || data[9] || data[10]
      || data[11] > 0)
    return false;
  std::size_t pos = 12;
  while (pos < size && data[pos] != 0) {
    if (data[pos] > 63)
      return false;
    pos += 1 + data[pos];
  }
  return pos + 5 == size;
}

} // namespace

// NOLINTNEXTLINE(readability-identifier-naming): the name libFuzzer calls
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  static std::uint8_t out[65535];
  std::span<const std::uint8_t> query(data, size);
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
        && reference.authority.size() == response.authority.size());
  }
  return 0;
}
