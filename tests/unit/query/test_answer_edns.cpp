#include "query/fixture.hpp"

#include <catch2/catch.hpp>

using namespace shun;
using namespace shun::testing;

namespace {

constexpr std::uint16_t A = 1, TXT = 16;

// A zone whose one key carries many TXT values, to overflow small messages.
std::shared_ptr<store::Snapshot> bigSnapshot(std::size_t values)
{
  auto snapshot = std::make_shared<store::Snapshot>();
  std::vector<IpEntry> entries;
  for (std::size_t i = 0; i < values; ++i)
    entries.push_back(
        { "127.0.0.2", listed(0x7f000002 + static_cast<std::uint32_t>(i), std::string(100, 'a' + i % 26)) });
  const store::Dataset* set = own(*snapshot, ipDataset(store::DatasetType::Ip4Set, entries));
  store::Zone& zone = addZone(*snapshot, "bl.example");
  zone.hasIp4 = true;
  zone.datasets.push_back({ "", set });
  return snapshot;
}

std::vector<std::uint8_t> answerBytes(
    std::span<const std::uint8_t> query, query::Transport transport = query::Transport::Udp)
{
  static auto snapshot = demoSnapshot();
  std::vector<std::uint8_t> out(65535);
  auto result = query::answer(query, *snapshot, 1000, {}, transport, {}, out);
  out.resize(result.length);
  return out;
}

} // namespace

TEST_CASE("edns: an OPT in the query gets an OPT in the answer with our size and the DO bit")
{
  QuerySpec spec { "2.0.0.127.bl.example", A };
  spec.ednsSize = 4096;
  spec.doBit = true;
  auto a = ask(*demoSnapshot(), spec);
  CHECK(a.response.hasOpt);
  CHECK(a.response.optSize == 1232);
  CHECK(a.bytes[a.bytes.size() - 4] == 0x80); // DO copied (RFC 3225 §3)
  auto plain = ask(*demoSnapshot(), { "2.0.0.127.bl.example", A });
  CHECK_FALSE(plain.response.hasOpt);
}

TEST_CASE("edns: version 1 is answered BADVERS with an OPT of version 0")
{
  QuerySpec spec { "2.0.0.127.bl.example", A };
  spec.ednsSize = 1232;
  spec.ednsVersion = 1;
  auto a = ask(*demoSnapshot(), spec);
  CHECK(a.response.rcode == 16);
  CHECK(a.response.hasOpt);
  CHECK(a.response.answer.empty());
  CHECK(a.result.rcode == 16);
}

TEST_CASE("truncation: without EDNS an answer over 512 bytes is sent empty with TC")
{
  auto snapshot = bigSnapshot(8);
  auto udp = ask(*snapshot, { "2.0.0.127.bl.example", TXT });
  CHECK(udp.response.tc);
  CHECK(udp.response.answer.empty());
  CHECK(udp.result.truncated);
  CHECK(udp.bytes.size() <= 512);
  auto tcp = ask(*snapshot, { "2.0.0.127.bl.example", TXT }, 1000, query::Transport::Tcp);
  CHECK_FALSE(tcp.response.tc);
  CHECK(tcp.response.answer.size() == 8);
}

TEST_CASE("truncation: the client's EDNS size is honoured up to maxUdpPayload, never below 512")
{
  auto snapshot = bigSnapshot(8); // about 1000 bytes of answer
  QuerySpec spec { "2.0.0.127.bl.example", TXT };
  spec.ednsSize = 4096;
  auto big = ask(*snapshot, spec);
  CHECK_FALSE(big.response.tc);
  CHECK(big.response.answer.size() == 8);
  CHECK(big.bytes.size() <= 1232);
  spec.ednsSize = 100;
  auto tiny = ask(*snapshot, spec);
  CHECK(tiny.response.tc);
  CHECK(tiny.bytes.size() <= 512);
  CHECK(tiny.response.hasOpt);
  query::AnswerOptions options;
  options.maxUdpPayload = 600;
  spec.ednsSize = 4096;
  auto capped = ask(*snapshot, spec, 1000, query::Transport::Udp, options);
  CHECK(capped.response.tc);
  CHECK(capped.bytes.size() <= 600);
}

TEST_CASE("truncation: an answer that fits without the NS RRset is sent without it and without TC")
{
  auto snapshot = bigSnapshot(4); // 4 x ~124 bytes + header/question: fits 512 only without NS
  auto a = ask(*snapshot, { "2.0.0.127.bl.example", TXT });
  CHECK_FALSE(a.response.tc);
  CHECK(a.response.answer.size() == 4);
  CHECK(a.response.authority.empty());
}

TEST_CASE("answer: duplicate RRs are suppressed and an RRset takes its smallest TTL")
{
  auto snapshot = std::make_shared<store::Snapshot>();
  auto value = listed(0x7f000002, "Listed $");
  const store::Dataset* first
      = own(*snapshot, ipDataset(store::DatasetType::Ip4Trie, { { "127.0.0.0/24", value } }, 300));
  const store::Dataset* second
      = own(*snapshot, ipDataset(store::DatasetType::Ip4Set, { { "127.0.0.2", value } }, 60));
  const store::Dataset* third = own(*snapshot,
      ipDataset(store::DatasetType::Ip4Set, { { "127.0.0.2", listed(0x7f000003, "Other") } }, 900));
  store::Zone& zone = addZone(*snapshot, "bl.example");
  zone.datasets = { { "", first }, { "", second }, { "", third } };
  auto a = ask(*snapshot, { "2.0.0.127.bl.example", A });
  CHECK(a.response.answer
      == std::vector<std::string> {
          "2.0.0.127.bl.example.\t60\tIN\tA\t127.0.0.2", "2.0.0.127.bl.example.\t60\tIN\tA\t127.0.0.3" });
  auto txt = ask(*snapshot, { "2.0.0.127.bl.example", TXT });
  CHECK(txt.response.answer.size() == 2);
  CHECK(txt.result.answerCount == 2);
}

TEST_CASE("malformed: packets shorter than a header or with QR set are dropped")
{
  CHECK(answerBytes(std::vector<std::uint8_t>(11, 0)).empty());
  auto query = makeQuery({ "2.0.0.127.bl.example", A });
  query[2] |= 0x80;
  CHECK(answerBytes(query).empty());
  std::vector<std::uint8_t> out(512);
  auto snapshot = demoSnapshot();
  auto result = query::answer(query, *snapshot, 0, {}, query::Transport::Udp, {}, out);
  CHECK(result.length == 0);
  CHECK(result.malformed);
}

TEST_CASE("malformed: bad questions are FORMERR with the header only")
{
  auto good = makeQuery({ "2.0.0.127.bl.example", A });
  auto expectFormErr = [](std::vector<std::uint8_t> query) {
    auto bytes = answerBytes(query);
    REQUIRE(bytes.size() == 12);
    CHECK((bytes[3] & 0x0F) == 1);
    CHECK(bytes[0] == query[0]);
    CHECK(bytes[1] == query[1]);
  };
  auto twoQuestions = good;
  twoQuestions[5] = 2;
  expectFormErr(twoQuestions);
  auto noQuestion = good;
  noQuestion[5] = 0;
  expectFormErr(noQuestion);
  expectFormErr(std::vector<std::uint8_t>(good.begin(), good.end() - 3)); // truncated QTYPE/QCLASS
  expectFormErr(std::vector<std::uint8_t>(good.begin(), good.begin() + 20)); // truncated name
  auto compressed = good;
  compressed.resize(12);
  for (int byte : { 1, int('x'), 0xC0, 12, 0, 1, 0, 1 })
    compressed.push_back(static_cast<std::uint8_t>(byte));
  expectFormErr(compressed);
  auto longLabel = good;
  longLabel[12] = 64;
  expectFormErr(longLabel);
  std::vector<std::uint8_t> longName(good.begin(), good.begin() + 12);
  for (int i = 0; i < 5; ++i) {
    longName.push_back(63);
    longName.insert(longName.end(), 63, 'a');
  }
  longName.insert(longName.end(), { 0, 0, 1, 0, 1 });
  expectFormErr(longName);
}

TEST_CASE("malformed: two OPT RRs are FORMERR, trailing junk is ignored")
{
  QuerySpec spec { "2.0.0.127.bl.example", A };
  spec.ednsSize = 1232;
  auto query = makeQuery(spec);
  auto twoOpts = query;
  twoOpts[11] = 2;
  twoOpts.insert(twoOpts.end(), query.end() - 11, query.end());
  CHECK(answerBytes(twoOpts).size() == 12);
  auto junk = makeQuery({ "2.0.0.127.bl.example", A });
  junk.insert(junk.end(), { 0xde, 0xad, 0xbe, 0xef });
  auto bytes = answerBytes(junk);
  auto response = readResponse(bytes.data(), bytes.size());
  CHECK(response.answer.size() == 1);
}

TEST_CASE("malformed: opcodes other than QUERY are NOTIMP")
{
  auto query = makeQuery({ "bl.example", 6 });
  query[2] = static_cast<std::uint8_t>(5 << 3); // UPDATE
  auto bytes = answerBytes(query);
  REQUIRE(bytes.size() == 12);
  CHECK((bytes[3] & 0x0F) == 4);
  CHECK(((bytes[2] >> 3) & 0x0F) == 5);
}

TEST_CASE("malformed: garbage never crashes and never overflows the output")
{
  auto snapshot = demoSnapshot();
  std::uint32_t seed = 12345;
  auto next = [&] { return seed = seed * 1103515245u + 12345u; };
  std::vector<std::uint8_t> out(512);
  for (int round = 0; round < 20000; ++round) {
    std::vector<std::uint8_t> packet
        = makeQuery({ round % 2 ? "2.0.0.127.bl.example" : "x.dn.bl.example", A });
    if (round % 3 == 0)
      packet.resize(next() % 300);
    for (std::size_t flips = next() % 6; flips > 0 && !packet.empty(); --flips)
      packet[next() % packet.size()] = static_cast<std::uint8_t>(next() >> 8);
    auto result = query::answer(packet, *snapshot, 1000, {}, query::Transport::Udp, {}, out);
    REQUIRE(result.length <= out.size());
  }
}
