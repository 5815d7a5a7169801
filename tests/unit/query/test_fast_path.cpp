// The direct lane for plain IPv4 A and TXT queries (fast_path.cpp) writes exactly what the general path
// writes.
#include "fixture.hpp"
#include "query/fast_path.hpp"
#include "query/resolve.hpp"
#include "query/writer.hpp"

#include <catch2/catch.hpp>
#include <tuple>

using namespace shun;
using namespace shun::testing;

namespace {

std::shared_ptr<store::Snapshot> plainSnapshot(std::vector<std::string> nsNames)
{
  auto snapshot = std::make_shared<store::Snapshot>();
  store::Value expiring = listed(0x7f000004);
  expiring.expires = 2000;
  store::Value shortTtl = listed(0x7f000005);
  shortTtl.ttl = 60;
  shortTtl.expires = 1030;
  auto set = own(*snapshot,
      ipDataset(store::DatasetType::Ip4Set,
          { { "10.0.0.0/24", listed(0x7f000002) }, { "10.0.0.7", {}, true }, { "10.1.2.3", expiring },
              { "10.1.2.4", shortTtl }, { "10.9.9.9", listed(0x7f000006, {}, false) } },
          900));
  auto trie = own(*snapshot,
      ipDataset(store::DatasetType::Ip4Trie,
          { { "10.0.0.9", listed(0x7f000003) }, { "192.0.2.0/24", listed(0x7f00000a) },
              { "198.51.100.0/24", listed(0x7f000002, "Listed: see https://bl.example/$ (cost $$5)") },
              { "198.51.100.7", listed(0x7f000002, "fixed text, no key") },
              { "198.51.100.8", listed(0x7f000002, std::string(250, 'x') + "$") } }));
  store::Zone& zone = addZone(*snapshot, "bl.example");
  zone.datasets = { { {}, set }, { {}, trie } };
  zone.ns = ns(nsNames);
  snapshot->index();
  zone.hasIp4 = true;
  return snapshot;
}

// The general path alone: parse, resolve, write.
std::vector<std::uint8_t> generalAnswer(const std::vector<std::uint8_t>& query,
    const store::Snapshot& snapshot, std::int64_t now, const query::AnswerOptions& options,
    query::Result& result)
{
  std::vector<std::uint8_t> out(65535);
  wire::ParsedQuery parsed;
  wire::parseQuery(query, parsed);
  query::detail::AnswerPlan plan;
  query::detail::resolve(parsed, snapshot, now, {}, options, plan);
  result = query::detail::writeAnswer(query, parsed, plan, query::Transport::Udp, options, out);
  out.resize(result.length);
  return out;
}

void requireSameAsGeneral(const store::Snapshot& snapshot, const QuerySpec& spec, std::int64_t now,
    const query::AnswerOptions& options, bool expectFast)
{
  auto query = makeQuery(spec);
  std::vector<std::uint8_t> out(65535);
  auto fast = query::detail::answerPlainIp4(query, snapshot, now, query::Transport::Udp, options, out);
  REQUIRE(fast.has_value() == expectFast);
  query::Result general;
  auto expected = generalAnswer(query, snapshot, now, options, general);
  // Handed the prefetch pass's parse, the direct lane answers the same queries with the same bytes.
  query::LookupHint hint = query::prefetchLookup(query, snapshot);
  CHECK(hint.parsed);
  std::vector<std::uint8_t> hinted(65535);
  auto fromHint
      = query::detail::answerPlainIp4(query, snapshot, now, query::Transport::Udp, options, hinted, &hint);
  REQUIRE(fromHint.has_value() == expectFast);
  if (!fast)
    return;
  out.resize(fast->length);
  hinted.resize(fromHint->length);
  CHECK(hinted == out);
  CHECK(fromHint->zone == fast->zone);
  CHECK(fromHint->qtype == fast->qtype);
  CHECK(out == expected);
  CHECK(fast->rcode == general.rcode);
  CHECK(fast->listed == general.listed);
  CHECK(fast->answerCount == general.answerCount);
  CHECK(fast->zone == general.zone);
  CHECK(fast->truncated == general.truncated);
}

} // namespace

TEST_CASE("fast path: plain IPv4 A answers are byte-identical to the general path")
{
  auto snapshot = plainSnapshot({ "ns1.bl.example", "ns2.elsewhere.test" });
  for (bool minimal : { false, true }) {
    query::AnswerOptions options;
    options.minimalAnswers = minimal;
    for (const char* name :
        { "5.0.0.10.bl.example", "5.0.0.10.BL.Example", "3.2.1.10.bl.example", "4.2.1.10.bl.example",
            "7.0.0.10.bl.example", "1.1.1.1.bl.example", "005.000.0.10.bl.example", "7.2.0.192.bl.example" })
      for (std::int64_t now : { 1000, 1010, 1500, 2500 }) {
        INFO(name << " now " << now << " minimal " << minimal);
        requireSameAsGeneral(*snapshot, QuerySpec(name), now, options, true);
      }
  }
}

TEST_CASE("fast path: plain IPv4 TXT answers, templates expanded, are byte-identical to the general path")
{
  auto snapshot = plainSnapshot({ "ns1.bl.example", "ns2.elsewhere.test" });
  for (bool minimal : { false, true }) {
    query::AnswerOptions options;
    options.minimalAnswers = minimal;
    for (const char* name : { "5.100.51.198.bl.example", "7.100.51.198.bl.example", "8.100.51.198.BL.example",
             "255.100.51.198.bl.example", "1.1.1.1.bl.example", "5.0.0.10.bl.example" }) {
      INFO(name << " minimal " << minimal);
      requireSameAsGeneral(*snapshot, QuerySpec(name, 16), 1000, options, true);
    }
  }
}

TEST_CASE("fast path: anything else is left to the general path")
{
  auto snapshot = plainSnapshot({ "ns1.bl.example" });
  query::AnswerOptions options;
  requireSameAsGeneral(*snapshot, QuerySpec("9.9.9.10.bl.example", 16), 1000, options, false); // no TXT
  requireSameAsGeneral(*snapshot, QuerySpec("5.0.0.10.bl.example", 28), 1000, options, false); // AAAA
  requireSameAsGeneral(*snapshot, QuerySpec("9.0.0.10.bl.example", 1, 255), 1000, options, false); // ANY
  requireSameAsGeneral(*snapshot, QuerySpec("0.0.10.bl.example"), 1000, options, false); // 3 labels
  requireSameAsGeneral(*snapshot, QuerySpec("1.9.0.0.10.bl.example"), 1000, options, false); // 5 labels
  requireSameAsGeneral(*snapshot, QuerySpec("256.0.0.10.bl.example"), 1000, options, false);
  for (const char* notDecimal : { "x.0.0.10.bl.example", "2x.0.0.10.bl.example", "1a1.0.0.10.bl.example",
           "25/.0.0.10.bl.example", "1000.0.0.10.bl.example" })
    requireSameAsGeneral(*snapshot, QuerySpec(notDecimal), 1000, options, false);
  requireSameAsGeneral(*snapshot, QuerySpec("9.0.0.10.other.example"), 1000, options, false); // no zone
  requireSameAsGeneral(*snapshot, QuerySpec("5.0.0.10.xbl.example"), 1000, options, false);
  // 10.0.0.9 is listed by both datasets: two values.
  requireSameAsGeneral(*snapshot, QuerySpec("9.0.0.10.bl.example"), 1000, options, false);
  QuerySpec edns("5.0.0.10.bl.example");
  edns.ednsSize = 1232;
  requireSameAsGeneral(*snapshot, edns, 1000, options, false);
}

TEST_CASE("fast path: an NS RRset that does not fit in 512 bytes is left out, as by the general path")
{
  std::vector<std::string> names;
  for (int i = 0; i < 12; ++i)
    names.push_back("a-rather-long-name-server-" + std::to_string(i) + ".example-dns-hosting.test");
  auto snapshot = plainSnapshot(names);
  requireSameAsGeneral(*snapshot, QuerySpec("5.0.0.10.bl.example"), 1000, {}, true);
  requireSameAsGeneral(*snapshot, QuerySpec("5.0.0.11.bl.example"), 1000, {}, true);
}

TEST_CASE("fast path: a zone with an acl or a $TIMESTAMP expiry is not answered directly")
{
  auto snapshot = plainSnapshot({ "ns1.bl.example" });
  const_cast<store::Dataset*>(snapshot->zones[0].datasets[0].dataset)->timestampExpires = 5000;
  requireSameAsGeneral(*snapshot, QuerySpec("5.0.0.10.bl.example"), 1000, {}, false);
}

TEST_CASE("fast path: a zone whose SOA and NS names were not compressed is left to the general path")
{
  auto snapshot = plainSnapshot({ "ns1.bl.example" });
  snapshot->zones[0].ns = ns({ "ns1.bl.example", "ns2.bl.example" }); // one NS more than compressed
  requireSameAsGeneral(*snapshot, QuerySpec("5.0.0.10.bl.example"), 1000, {}, false);
  requireSameAsGeneral(*snapshot, QuerySpec("1.1.1.1.bl.example"), 1000, {}, false);
}

TEST_CASE("fast path: a zone with another zone served below it is left to the general path")
{
  auto snapshot = plainSnapshot({ "ns1.bl.example" });
  auto* trie = snapshot->zones[0].datasets[1].dataset;
  snapshot->zones.insert(snapshot->zones.begin(), store::Zone {}); // most specific first
  store::Zone& below = snapshot->zones[0];
  below.name = wireName("10.bl.example", true);
  below.text = "10.bl.example";
  below.datasets = { { {}, trie } };
  snapshot->index();
  // The general path finds 10.bl.example for this name; the fast path must not answer from bl.example.
  requireSameAsGeneral(*snapshot, QuerySpec("5.0.0.10.bl.example"), 1000, {}, false);
  requireSameAsGeneral(*snapshot, QuerySpec("9.0.0.11.bl.example"), 1000, {}, false);
  requireSameAsGeneral(*snapshot, QuerySpec("1.2.3.4.10.bl.example"), 1000, {}, true);
}

TEST_CASE("fast path: a batch's prefetch hint names the zone and address the direct lane looks up")
{
  auto snapshot = plainSnapshot({ "ns1.bl.example" });
  REQUIRE(snapshot->zones.size() == 1);
  const store::Zone* zone = &snapshot->zones[0];
  query::AnswerOptions options;
  std::vector<std::uint8_t> out(65535);
  for (auto [name, type, address] : { std::tuple { "5.0.0.10.bl.example", 1, 0x0a000005u },
           std::tuple { "4.2.1.10.BL.Example", 16, 0x0a010204u },
           std::tuple { "1.1.1.1.bl.example", 1, 0x01010101u },
           std::tuple { "005.000.0.10.bl.example", 1, 0x0a000005u } }) {
    INFO(name);
    auto query = makeQuery(QuerySpec(name, static_cast<std::uint16_t>(type)));
    query::LookupHint hint = query::prefetchLookup(query, *snapshot);
    CHECK(hint.zone == zone);
    CHECK(hint.ip == address);
    query::prefetchLookupSlices(hint);
    auto fast = query::detail::answerPlainIp4(query, *snapshot, 1000, query::Transport::Udp, options, out);
    REQUIRE(fast);
    CHECK(fast->zone == hint.zone);
    // The hinted address is the one looked up: listed exactly where some dataset lists it.
    bool listed = false;
    for (const store::ZoneDataset& entry : zone->datasets)
      listed = listed || entry.dataset->findIp4(hint.ip).payload != store::kNoPayload;
    CHECK(fast->listed == listed);
  }
  // Queries the direct lane leaves to the general path get no hint (and an empty hint is harmless).
  QuerySpec edns("5.0.0.10.bl.example");
  edns.ednsSize = 1232;
  for (const QuerySpec& spec : { QuerySpec("5.0.0.10.bl.example", 28), QuerySpec("0.0.10.bl.example"),
           QuerySpec("9.0.0.10.other.example"), QuerySpec("x.0.0.10.bl.example"), edns }) {
    INFO(spec.name);
    query::LookupHint hint = query::prefetchLookup(makeQuery(spec), *snapshot);
    CHECK(hint.zone == nullptr);
    CHECK(hint.parsed); // answer() skips the direct lane for it
    query::prefetchLookupSlices(hint);
  }
  CHECK(query::prefetchLookup({}, *snapshot).zone == nullptr);
}

TEST_CASE("fast path: answer() handed the prefetch hint writes the bytes it writes without one")
{
  auto snapshot = plainSnapshot({ "ns1.bl.example" });
  QuerySpec edns("10.0.0.10.bl.example");
  edns.ednsSize = 1232;
  for (const QuerySpec& spec : { QuerySpec("5.0.0.10.bl.example"), QuerySpec("4.2.1.10.BL.Example", 16),
           QuerySpec("1.1.1.1.bl.example"), QuerySpec("5.0.0.10.bl.example", 28),
           QuerySpec("0.0.10.bl.example"), QuerySpec("9.0.0.10.other.example"), QuerySpec("bl.example", 6),
           edns }) {
    INFO(spec.name);
    auto query = makeQuery(spec);
    query::LookupHint hint = query::prefetchLookup(query, *snapshot);
    std::vector<std::uint8_t> plain(65535), hinted(65535);
    auto expected = query::answer(query, *snapshot, 1000, {}, query::Transport::Udp, {}, plain);
    auto result = query::answer(query, *snapshot, 1000, {}, query::Transport::Udp, {}, hinted, &hint);
    REQUIRE(result.length == expected.length);
    plain.resize(expected.length);
    hinted.resize(result.length);
    CHECK(hinted == plain);
    CHECK(result.rcode == expected.rcode);
    CHECK(result.zone == expected.zone);
    CHECK(result.qtype == expected.qtype);
  }
}
