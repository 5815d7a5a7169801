#include "query/fixture.hpp"

#include <catch2/catch.hpp>

using namespace shun;
using namespace shun::testing;

namespace {

constexpr std::uint16_t A = 1, SOA = 6, TXT = 16;
constexpr std::uint32_t kIgnore = 0, kRefuse = 1, kEmpty = 2, kPass = 3;

// The demo snapshot with a zone acl and, optionally, a global acl.
std::shared_ptr<store::Snapshot> withAcl(
    const std::vector<IpEntry>& zoneAcl, const std::vector<IpEntry>& globalAcl = {})
{
  auto snapshot = demoSnapshot();
  snapshot->zones[0].acl = own(*snapshot, aclDataset(zoneAcl));
  if (!globalAcl.empty())
    snapshot->globalAcl = own(*snapshot, aclDataset(globalAcl));
  return snapshot;
}

query::ClientAddress client(std::string_view address)
{
  query::ClientAddress result;
  if (address.find(':') != std::string_view::npos) {
    result.isV6 = true;
    result.v6 = ip6(address);
  } else {
    result.v4 = ip4(address);
  }
  return result;
}

Answered askFrom(const store::Snapshot& snapshot, const QuerySpec& spec, std::string_view from)
{
  return ask(snapshot, spec, 1000, query::Transport::Udp, {}, client(from));
}

const std::vector<IpEntry> kPolicy {
  { "192.0.2.0/24", listed(kIgnore) },
  { "198.51.100.0/24", listed(kRefuse) },
  { "203.0.113.0/24", listed(kEmpty) },
  { "203.0.113.7", listed(kPass) },
  { "100.64.0.0/10", listed(0x7f000009, "Client $ is blocked") },
  { "2001:db8:bad::/48", listed(kRefuse) },
};

} // namespace

TEST_CASE("acl: ignore drops the query")
{
  auto snapshot = withAcl(kPolicy);
  CHECK(askFrom(*snapshot, { "2.0.0.127.bl.example", A }, "192.0.2.1").result.length == 0);
  CHECK(askFrom(*snapshot, { "2.0.0.127.bl.example", A }, "192.0.3.1").response.answer.size() == 1);
}

TEST_CASE("acl: refuse answers REFUSED for every type, IPv6 clients in the IPv6 map")
{
  auto snapshot = withAcl(kPolicy);
  CHECK(askFrom(*snapshot, { "2.0.0.127.bl.example", A }, "198.51.100.9").response.rcode == 5);
  CHECK(askFrom(*snapshot, { "bl.example", SOA }, "198.51.100.9").response.rcode == 5);
  CHECK(askFrom(*snapshot, { "bl.example", SOA }, "2001:db8:bad::1").response.rcode == 5);
  CHECK(askFrom(*snapshot, { "bl.example", SOA }, "2001:db8:beef::1").response.rcode == 0);
}

TEST_CASE("acl: empty makes data unlisted but keeps the apex; pass punches a hole")
{
  auto snapshot = withAcl(kPolicy);
  auto empty = askFrom(*snapshot, { "2.0.0.127.bl.example", A }, "203.0.113.1");
  CHECK(empty.response.rcode == 3);
  CHECK(askFrom(*snapshot, { "bl.example", SOA }, "203.0.113.1").response.answer.size() == 1);
  CHECK(askFrom(*snapshot, { "www.bl.example", A }, "203.0.113.1").response.answer.size() == 1);
  CHECK(askFrom(*snapshot, { "2.0.0.127.bl.example", A }, "203.0.113.7").response.answer.size() == 1);
}

TEST_CASE("acl: always answers every valid key with the acl value, $ being the client")
{
  auto snapshot = withAcl(kPolicy);
  auto a = askFrom(*snapshot, { "9.9.9.9.bl.example", TXT }, "100.64.1.2");
  CHECK(a.response.answer
      == std::vector<std::string> { "9.9.9.9.bl.example.\t2100\tIN\tTXT\t\"Client 100.64.1.2 is blocked\"" });
  CHECK(askFrom(*snapshot, { "9.9.9.9.bl.example", A }, "100.64.1.2").response.answer
      == std::vector<std::string> { "9.9.9.9.bl.example.\t2100\tIN\tA\t127.0.0.9" });
  CHECK(askFrom(*snapshot, { "anything.dn.bl.example", A }, "100.64.1.2").response.answer.size() == 1);
  CHECK(askFrom(*snapshot, { "9.9.9.bl.example", A }, "100.64.1.2").response.answer.empty());
}

TEST_CASE("acl: the global acl and the zone acl combine, ignore > refuse > empty > always")
{
  auto globalRefuse = withAcl({ { "10.0.0.0/8", listed(kEmpty) } }, { { "10.0.0.0/8", listed(kRefuse) } });
  CHECK(askFrom(*globalRefuse, { "2.0.0.127.bl.example", A }, "10.1.1.1").response.rcode == 5);
  auto zoneIgnore = withAcl({ { "10.0.0.0/8", listed(kIgnore) } }, { { "10.0.0.0/8", listed(kRefuse) } });
  CHECK(askFrom(*zoneIgnore, { "2.0.0.127.bl.example", A }, "10.1.1.1").result.length == 0);
  auto globalIgnore = withAcl({}, { { "10.0.0.0/8", listed(kIgnore) } });
  CHECK(askFrom(*globalIgnore, { "2.0.0.127.example.org", A }, "10.1.1.1").result.length == 0);
  auto bothAlways = withAcl(
      { { "10.0.0.0/8", listed(0x7f000005, "zone") } }, { { "10.0.0.0/8", listed(0x7f000006, "global") } });
  CHECK(askFrom(*bothAlways, { "1.1.1.1.bl.example", A }, "10.1.1.1").response.answer
      == std::vector<std::string> { "1.1.1.1.bl.example.\t2100\tIN\tA\t127.0.0.6" });
  auto emptyBeatsAlways
      = withAcl({ { "10.0.0.0/8", listed(kEmpty) } }, { { "10.0.0.0/8", listed(0x7f000006, "global") } });
  CHECK(askFrom(*emptyBeatsAlways, { "2.0.0.127.bl.example", A }, "10.1.1.1").response.rcode == 3);
}
