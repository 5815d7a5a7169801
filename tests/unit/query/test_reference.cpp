#include "query/fixture.hpp"
#include "support/reference_answer.hpp"

#include <catch2/catch.hpp>
#include <random>

using namespace shun;
using namespace shun::testing;

namespace {

// The demo snapshot plus an acl and a zone whose keys carry many long TXT values (truncation).
std::shared_ptr<store::Snapshot> differentialSnapshot()
{
  auto snapshot = demoSnapshot();
  snapshot->zones[0].acl = own(*snapshot,
      aclDataset({ { "198.51.100.0/24", listed(1) }, { "203.0.113.0/24", listed(2) },
          { "100.64.0.0/10", listed(0x7f000009, "Client $ is blocked") } }));
  std::vector<IpEntry> entries;
  for (std::uint32_t i = 0; i < 40; ++i) {
    std::string cidr = "127.0.0." + std::to_string(2 + i % 10);
    entries.push_back(
        { cidr, listed(0x7f000002 + i, std::string(30 + 7 * i, static_cast<char>('a' + i % 26)) + " $") });
  }
  const store::Dataset* big = own(*snapshot, ipDataset(store::DatasetType::Ip4Set, entries, 300));
  store::Zone& zone = addZone(*snapshot, "big.example");
  zone.hasIp4 = true;
  zone.datasets.push_back({ "", big });
  return snapshot;
}

const std::vector<std::string> kNames {
  "2.0.0.127.bl.example",
  "1.0.0.127.bl.example",
  "4.0.0.127.bl.example",
  "5.0.0.127.bl.example",
  "6.0.0.127.bl.example",
  "127.bl.example",
  "0.0.127.bl.example",
  "7.2.0.192.bl.example",
  "1.1.1.10.bl.example",
  "3.3.2.10.bl.example",
  "bl.example",
  "www.bl.example",
  "ftp.bl.example",
  "example.com.dn.bl.example",
  "x.y.wild.test.dn.bl.example",
  "bad.wild.test.dn.bl.example",
  "com.dn.bl.example",
  "dn.bl.example",
  "sub.bl.example",
  "2.0.0.127.deep.sub.bl.example",
  "2.0.0.127.other.example",
  "other.example",
  "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.bl.example",
  "2.0.0.0.0.0.f.7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.bl.example",
  "8.b.d.0.1.0.0.2.bl.example",
  "example.org",
  "version.bind",
  "version.server",
  "2.0.0.127.big.example",
  "3.0.0.127.big.example",
  "9.0.0.127.big.example",
  "big.example",
  "1.2.3.4.big.example",
};

std::string randomCase(std::string name, std::mt19937& random)
{
  for (char& c : name)
    if (c >= 'a' && c <= 'z' && random() % 3 == 0)
      c = static_cast<char>(c - 32);
  return name;
}

query::ClientAddress randomClient(std::mt19937& random)
{
  static const store::Ip4 clients[]
      = { ip4("192.0.2.1"), ip4("198.51.100.3"), ip4("203.0.113.9"), ip4("100.64.0.1") };
  query::ClientAddress client;
  client.v4 = clients[random() % 4];
  return client;
}

QuerySpec randomQuery(std::mt19937& random)
{
  static const std::uint16_t types[] = { 1, 1, 16, 16, 255, 2, 6, 15, 28, 257, 252, 65535 };
  static const std::uint16_t classes[] = { 1, 1, 1, 1, 1, 255, 3, 4 };
  QuerySpec spec(randomCase(kNames[random() % kNames.size()], random), types[random() % std::size(types)],
      classes[random() % std::size(classes)]);
  spec.id = static_cast<std::uint16_t>(random());
  spec.rd = random() % 2 == 0;
  switch (random() % 5) {
  case 0:
    break;
  case 1:
    spec.ednsSize = static_cast<std::uint16_t>(1 + random() % 511);
    break;
  case 2:
    spec.ednsSize = static_cast<std::uint16_t>(512 + random() % 1200);
    break;
  case 3:
    spec.ednsSize = 4096;
    spec.doBit = true;
    break;
  default:
    spec.ednsSize = 1232;
    spec.ednsVersion = static_cast<std::uint8_t>(random() % 2);
  }
  return spec;
}

// ldns compresses RDATA names against the question case-insensitively, so RDATA case may differ: compare
// owners exactly (0x20 echo) and the rest case-insensitively.
std::vector<std::string> normalised(std::vector<std::string> lines)
{
  for (std::string& line : lines)
    for (std::size_t i = line.find('\t'); i != std::string::npos && i < line.size(); ++i)
      line[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(line[i])));
  return lines;
}

void requireSame(const Response& fast, const Response& reference)
{
  REQUIRE(fast.ok == reference.ok);
  CHECK(fast.id == reference.id);
  CHECK(fast.qr == reference.qr);
  CHECK(fast.aa == reference.aa);
  CHECK(fast.tc == reference.tc);
  CHECK(fast.rd == reference.rd);
  CHECK(fast.ra == reference.ra);
  CHECK(fast.rcode == reference.rcode);
  CHECK(fast.hasOpt == reference.hasOpt);
  CHECK(fast.optSize == reference.optSize);
  CHECK(fast.question == reference.question);
  CHECK(normalised(fast.answer) == normalised(reference.answer));
  CHECK(normalised(fast.authority) == normalised(reference.authority));
  CHECK(fast.additional == reference.additional);
}

} // namespace

TEST_CASE("reference: the fast path equals the ldns reference on generated queries")
{
  auto snapshot = differentialSnapshot();
  std::mt19937 random(20261122);
  std::vector<std::uint8_t> out(65535);
  std::size_t truncated = 0, listed = 0;
  for (int round = 0; round < 6000; ++round) {
    QuerySpec spec = randomQuery(random);
    auto transport = random() % 4 == 0 ? query::Transport::Tcp : query::Transport::Udp;
    query::AnswerOptions options;
    options.minimalAnswers = random() % 4 == 0;
    options.maxUdpPayload = random() % 3 == 0 ? 4096 : 1232;
    options.version = static_cast<query::VersionMode>(random() % 3);
    auto client = randomClient(random);
    std::int64_t now = 1000 + static_cast<std::int64_t>(random() % 1500);
    auto query = makeQuery(spec);
    auto result = query::answer(query, *snapshot, now, client, transport, options, out);
    auto expected = query::referenceAnswer(query, *snapshot, now, client, transport, options);
    INFO("query " << spec.name << " type " << spec.type << " class " << spec.qclass << " round " << round);
    REQUIRE(result.length == (expected.empty() ? 0 : result.length));
    REQUIRE((result.length == 0) == expected.empty());
    requireSame(readResponse(out.data(), result.length), readResponse(expected.data(), expected.size()));
    REQUIRE(result.length
        <= (transport == query::Transport::Tcp ? 65535u : std::max<std::size_t>(512, options.maxUdpPayload)));
    truncated += result.truncated;
    listed += result.listed;
  }
  CHECK(truncated > 20); // the generator reaches the truncation boundary
  CHECK(listed > 300);
}
