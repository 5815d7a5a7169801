#include "query/fixture.hpp"

#include <catch2/catch.hpp>

using namespace shun;
using namespace shun::testing;

namespace {

const store::Snapshot& demo()
{
  static auto snapshot = demoSnapshot();
  return *snapshot;
}

constexpr std::uint16_t A = 1, NS = 2, SOA = 6, MX = 15, TXT = 16, AAAA = 28, ANY = 255, CAA = 257;

const std::string kNs = "bl.example.\t86400\tIN\tNS\tns1.bl.example.";
const std::string kNegativeSoa
    = "bl.example.\t600\tIN\tSOA\tns1.bl.example. hostmaster.bl.example. 2026112201 7200 3600 604800 600";

} // namespace

TEST_CASE("answer: a listed IPv4 key answers its A with AA and the zone NS in AUTHORITY")
{
  auto a = ask(demo(), { "2.0.0.127.bl.example", A });
  REQUIRE(a.response.ok);
  CHECK(a.response.qr);
  CHECK(a.response.aa);
  CHECK(a.response.rd);
  CHECK_FALSE(a.response.ra);
  CHECK(a.response.id == 0x1234);
  CHECK(a.response.rcode == 0);
  CHECK(a.response.answer == std::vector<std::string> { "2.0.0.127.bl.example.\t2100\tIN\tA\t127.0.0.2" });
  REQUIRE(a.response.authority.size() == 2);
  CHECK(a.response.authority[0] == kNs);
  CHECK(a.result.listed);
  CHECK(a.result.answerCount == 1);
  CHECK(a.result.zone == &demo().zones[0]);
}

TEST_CASE("answer: TXT templates expand $ to the queried address")
{
  auto a = ask(demo(), { "2.0.0.127.bl.example", TXT });
  CHECK(a.response.answer
      == std::vector<std::string> {
          "2.0.0.127.bl.example.\t2100\tIN\tTXT\t\"Listed: 127.0.0.2 see https://bl.example/127.0.0.2\"" });
}

TEST_CASE("answer: ANY returns A and TXT of a listed key")
{
  auto a = ask(demo(), { "2.0.0.127.bl.example", ANY });
  CHECK(a.response.answer.size() == 2);
}

TEST_CASE("answer: an unlisted key is NXDOMAIN with the SOA at the negative TTL")
{
  auto a = ask(demo(), { "1.0.0.127.bl.example", A });
  CHECK(a.response.rcode == 3);
  CHECK(a.response.aa);
  CHECK(a.response.answer.empty());
  CHECK(a.response.authority == std::vector<std::string> { kNegativeSoa });
  CHECK_FALSE(a.result.listed);
  // MNAME ns1.bl.example and RNAME hostmaster.bl.example end in pointers to the question's "bl.example"
  // (offset 12 + 16): 28 + 4 + 16 (question) + 12 (SOA RR header) + 6 + 13 + 20 bytes.
  CHECK(a.bytes.size() == 12 + 26 + 12 + (4 + 2) + (11 + 2) + 20);
}

TEST_CASE("answer: the negative TTL is min(SOA TTL, MINIMUM)")
{
  auto snapshot = demoSnapshot();
  snapshot->zones[0].soa->ttl = 60;
  snapshot->zones[0].soa->minimum = 7200;
  auto a = ask(*snapshot, { "1.0.0.127.bl.example", A });
  REQUIRE(a.response.authority.size() == 1);
  CHECK(a.response.authority[0].find("bl.example.\t60\tIN\tSOA") == 0);
}

TEST_CASE("answer: other types of a listed key are NODATA, types >= 256 included")
{
  for (std::uint16_t type : { AAAA, MX, CAA }) {
    auto a = ask(demo(), { "2.0.0.127.bl.example", type });
    CHECK(a.response.rcode == 0);
    CHECK(a.response.answer.empty());
    CHECK(a.response.authority == std::vector<std::string> { kNegativeSoa });
  }
  auto unlisted = ask(demo(), { "1.0.0.127.bl.example", CAA });
  CHECK(unlisted.response.rcode == 3);
}

TEST_CASE("answer: a listed entry without TXT answers TXT with NODATA")
{
  auto a = ask(demo(), { "4.0.0.127.bl.example", TXT });
  CHECK(a.response.rcode == 0);
  CHECK(a.response.answer.empty());
  CHECK(ask(demo(), { "4.0.0.127.bl.example", A }).response.answer.size() == 1);
}

TEST_CASE("answer: partial IPv4 names above a listed address are empty non-terminals (NODATA)")
{
  for (const char* name : { "127.bl.example", "0.127.bl.example", "0.0.127.bl.example", "10.bl.example" }) {
    auto a = ask(demo(), { name, A });
    INFO(name);
    CHECK(a.response.rcode == 0);
    CHECK(a.response.answer.empty());
    CHECK(a.response.authority == std::vector<std::string> { kNegativeSoa });
  }
  CHECK(ask(demo(), { "126.bl.example", A }).response.rcode == 3);
  CHECK(ask(demo(), { "1.0.127.bl.example", A }).response.rcode == 3);
}

TEST_CASE("answer: names are matched case-insensitively and the question keeps its case")
{
  auto a = ask(demo(), { "2.0.0.127.Bl.ExAmPlE", A });
  CHECK(a.response.question == std::vector<std::string> { "2.0.0.127.Bl.ExAmPlE.\tIN\tA" });
  REQUIRE(a.response.answer.size() == 1);
  CHECK(a.response.answer[0].find("2.0.0.127.Bl.ExAmPlE.\t") == 0);
  CHECK(a.response.authority[0].find("Bl.ExAmPlE.\t") == 0);
}

TEST_CASE("answer: leading zeros in IPv4 labels are accepted")
{
  CHECK(ask(demo(), { "02.000.0.127.bl.example", A }).response.answer.size() == 1);
  CHECK(ask(demo(), { "0002.0.0.127.bl.example", A }).response.rcode == 3);
  CHECK(ask(demo(), { "256.0.0.127.bl.example", A }).response.rcode == 3);
}

TEST_CASE("answer: names outside every zone are REFUSED without AA")
{
  auto a = ask(demo(), { "2.0.0.127.example.org", A });
  CHECK(a.response.rcode == 5);
  CHECK_FALSE(a.response.aa);
  CHECK(a.response.question.size() == 1);
  CHECK(a.result.zone == nullptr);
}

TEST_CASE("answer: SOA and NS at the apex")
{
  auto soa = ask(demo(), { "bl.example", SOA });
  REQUIRE(soa.response.answer.size() == 1);
  CHECK(soa.response.answer[0].find("bl.example.\t3600\tIN\tSOA\tns1.bl.example.") == 0);
  CHECK(soa.response.authority.size() == 2);
  auto ns = ask(demo(), { "bl.example", NS });
  CHECK(ns.response.answer.size() == 2);
  CHECK(ns.response.authority.empty());
  auto any = ask(demo(), { "bl.example", ANY });
  CHECK(any.response.answer.size() == 4); // SOA, 2 NS, generic A
  auto txt = ask(demo(), { "bl.example", TXT });
  CHECK(txt.response.rcode == 0);
  CHECK(txt.response.answer.empty());
  CHECK(txt.response.authority == std::vector<std::string> { kNegativeSoa });
}

TEST_CASE("answer: a zone without $SOA refuses SOA/ANY at the apex and answers negatives without SOA")
{
  CHECK(ask(demo(), { "other.example", SOA }).response.rcode == 5);
  CHECK(ask(demo(), { "other.example", ANY }).response.rcode == 5);
  CHECK(ask(demo(), { "other.example", NS }).response.rcode == 5);
  auto apexA = ask(demo(), { "other.example", A });
  CHECK(apexA.response.rcode == 0);
  CHECK(apexA.response.authority.empty());
  auto miss = ask(demo(), { "1.0.0.127.other.example", A });
  CHECK(miss.response.rcode == 3);
  CHECK(miss.response.authority.empty());
  auto hit = ask(demo(), { "2.0.0.127.other.example", A });
  CHECK(hit.response.answer.size() == 1);
  CHECK(hit.response.authority.empty());
}

TEST_CASE("answer: minimal answers leave the NS out of positive answers")
{
  query::AnswerOptions options;
  options.minimalAnswers = true;
  auto a = ask(demo(), { "2.0.0.127.bl.example", A }, 1000, query::Transport::Udp, options);
  CHECK(a.response.answer.size() == 1);
  CHECK(a.response.authority.empty());
}

TEST_CASE("answer: an ip4set level answers every value of the entries covering the address")
{
  auto a = ask(demo(), { "7.2.0.192.bl.example", A });
  CHECK(a.response.answer.size() == 2);
  auto txt = ask(demo(), { "7.2.0.192.bl.example", TXT });
  CHECK(txt.response.answer.size() == 2);
}

TEST_CASE("answer: an exclusion inside a listed range is NXDOMAIN")
{
  CHECK(ask(demo(), { "1.1.1.10.bl.example", A }).response.rcode == 3);
  CHECK(ask(demo(), { "1.1.2.10.bl.example", A }).response.answer.size() == 1);
}

TEST_CASE("answer: expired values are not served and live ones never outlive their expiry")
{
  CHECK(ask(demo(), { "6.0.0.127.bl.example", A }, 1000).response.rcode == 3);
  auto live = ask(demo(), { "5.0.0.127.bl.example", A }, 1000);
  REQUIRE(live.response.answer.size() == 1);
  CHECK(live.response.answer[0] == "5.0.0.127.bl.example.\t1000\tIN\tA\t127.0.0.5");
  CHECK(ask(demo(), { "5.0.0.127.bl.example", A }, 2000).response.rcode == 3);
  auto last = ask(demo(), { "5.0.0.127.bl.example", A }, 1999);
  CHECK(last.response.answer == std::vector<std::string> { "5.0.0.127.bl.example.\t1\tIN\tA\t127.0.0.5" });
}

TEST_CASE("answer: an expired $TIMESTAMP makes the zone SERVFAIL")
{
  auto snapshot = demoSnapshot();
  const_cast<store::Dataset*>(snapshot->zones[0].datasets[0].dataset)->timestampExpires = 1500;
  auto before = ask(*snapshot, { "2.0.0.127.bl.example", A }, 1000);
  CHECK(
      before.response.answer == std::vector<std::string> { "2.0.0.127.bl.example.\t500\tIN\tA\t127.0.0.2" });
  auto after = ask(*snapshot, { "2.0.0.127.bl.example", A }, 1500);
  CHECK(after.response.rcode == 2);
  CHECK_FALSE(after.response.aa);
}

TEST_CASE("answer: IPv6 keys are 32 nibbles, any case; partial nibble names are empty non-terminals")
{
  const std::string name = "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.B.D.0.1.0.0.2.bl.example";
  auto a = ask(demo(), { name, TXT });
  CHECK(a.response.answer == std::vector<std::string> { name + ".\t600\tIN\tTXT\t\"v6 2001:db8::1\"" });
  CHECK(ask(demo(), { "8.b.d.0.1.0.0.2.bl.example", A }).response.rcode == 0);
  CHECK(ask(demo(), { "2.bl.example", A }).response.rcode == 0);
  CHECK(ask(demo(), { "9.b.d.0.1.0.0.2.bl.example", A }).response.rcode == 3);
  CHECK(ask(demo(), { "d.0.1.0.0.2.bl.example", A }).response.rcode == 0);
  CHECK(ask(demo(), { "0.0.1.0.0.2.bl.example", A }).response.rcode == 3);
}

TEST_CASE("answer: v4-mapped and 6to4 IPv6 names are looked up in the IPv4 datasets")
{
  const std::string mapped = "2.0.0.0.0.0.f.7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.bl.example";
  auto a = ask(demo(), { mapped, TXT });
  CHECK(a.response.answer
      == std::vector<std::string> {
          mapped + ".\t2100\tIN\tTXT\t\"Listed: 127.0.0.2 see https://bl.example/127.0.0.2\"" });
  const std::string unlisted = "1.0.0.0.0.0.f.7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.bl.example";
  CHECK(ask(demo(), { unlisted, A }).response.rcode == 3);
  const std::string sixToFour = "0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.2.0.0.0.0.0.f.7.2.0.0.2.bl.example";
  CHECK(ask(demo(), { sixToFour, A }).response.answer.size() == 1);
  // QNAME minimisation walks down the nibbles of a mapped address: each step exists.
  CHECK(ask(demo(), { "f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.bl.example", A }).response.rcode == 0);
  CHECK(
      ask(demo(), { "7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.bl.example", A }).response.rcode == 0);
  CHECK(
      ask(demo(), { "8.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.bl.example", A }).response.rcode == 3);
}

TEST_CASE("answer: dnset names below a combined sub-zone, wildcards and exclusions")
{
  auto exact = ask(demo(), { "example.com.dn.bl.example", TXT });
  CHECK(exact.response.answer
      == std::vector<std::string> {
          "example.com.dn.bl.example.\t2100\tIN\tTXT\t\"Domain example.com listed\"" });
  CHECK(ask(demo(), { "www.example.com.dn.bl.example", A }).response.rcode == 3);
  auto wild = ask(demo(), { "a.b.wild.test.dn.bl.example", TXT });
  CHECK(wild.response.answer
      == std::vector<std::string> { "a.b.wild.test.dn.bl.example.\t2100\tIN\tTXT\t\"Wild wild.test\"" });
  CHECK(ask(demo(), { "bad.wild.test.dn.bl.example", A }).response.rcode == 3);
  CHECK(ask(demo(), { "wild.test.dn.bl.example", A }).response.rcode == 0); // ENT above a wildcard
  CHECK(ask(demo(), { "com.dn.bl.example", A }).response.rcode == 0);
  CHECK(ask(demo(), { "org.dn.bl.example", A }).response.rcode == 3);
  CHECK(ask(demo(), { "dn.bl.example", A }).response.rcode == 0); // sub-zone apex
  CHECK(ask(demo(), { "sub.bl.example", A }).response.rcode == 0); // above a deeper sub-zone
  CHECK(ask(demo(), { "2.0.0.127.deep.sub.bl.example", TXT }).response.answer.size() == 1);
  CHECK(ask(demo(), { "2.0.0.127.dn.bl.example", A }).response.rcode == 3);
}

TEST_CASE("answer: generic records answer by type with their own TTL")
{
  auto a = ask(demo(), { "www.bl.example", A });
  CHECK(a.response.answer == std::vector<std::string> { "www.bl.example.\t60\tIN\tA\t127.0.0.9" });
  CHECK(ask(demo(), { "www.bl.example", ANY }).response.answer.size() == 2);
  CHECK(ask(demo(), { "www.bl.example", MX }).response.rcode == 0);
  CHECK(ask(demo(), { "ftp.bl.example", A }).response.rcode == 3);
  CHECK_FALSE(a.result.listed);
}

TEST_CASE("answer: class ANY is answered without AA, CHAOS only for version, other classes REFUSED")
{
  auto any = ask(demo(), { "2.0.0.127.bl.example", A, 255 });
  CHECK(any.response.answer.size() == 1);
  CHECK_FALSE(any.response.aa);
  CHECK(ask(demo(), { "2.0.0.127.bl.example", A, 4 }).response.rcode == 5);
  auto version = ask(demo(), { "VERSION.bind", TXT, 3 });
  CHECK(version.response.answer == std::vector<std::string> { "VERSION.bind.\t0\tCH\tTXT\t\"shun\"" });
  query::AnswerOptions options;
  options.versionText = "shun 0.1.0";
  CHECK(ask(demo(), { "version.server", TXT, 3 }, 0, query::Transport::Udp, options)
            .response.answer[0]
            .find("\"shun 0.1.0\"")
      != std::string::npos);
  options.version = query::VersionMode::Short;
  CHECK(ask(demo(), { "version.server", TXT, 3 }, 0, query::Transport::Udp, options)
            .response.answer[0]
            .find("\"shun\"")
      != std::string::npos);
  options.version = query::VersionMode::Refuse;
  CHECK(ask(demo(), { "version.bind", TXT, 3 }, 0, query::Transport::Udp, options).response.rcode == 5);
  CHECK(ask(demo(), { "hostname.bind", TXT, 3 }).response.rcode == 5);
}

TEST_CASE("answer: AXFR outside xfr/ (UDP) is REFUSED, IXFR the single SOA at the apex, question echoed")
{
  auto axfr = ask(demo(), { "bl.example", 252 });
  CHECK(axfr.response.rcode == 5);
  CHECK(axfr.response.question.size() == 1);
  auto ixfr = ask(demo(), { "bl.example", 251 });
  CHECK(ixfr.response.rcode == 0);
  REQUIRE(ixfr.response.answer.size() == 1);
  CHECK(ixfr.response.answer[0].find("\tSOA\t") != std::string::npos);
  CHECK(ask(demo(), { "2.0.0.127.bl.example", 251 }).response.rcode == 5);
}
