#include "shun/xfr/xfr.hpp"
#include "shun/zone/records.hpp"
#include "support/ldns.hpp"
#include "zone/zone_test_util.hpp"

#include <arpa/inet.h>
#include <catch2/catch.hpp>
#include <netinet/in.h>
#include <sstream>
#include <thread>

using namespace zonetest;
using shun::xfr::Begin;
using shun::xfr::Service;
using shun::xfr::Settings;
using shun::xfr::Transfer;

namespace {

constexpr const char* kZone = "$SOA 3600 ns1.bl.example. hostmaster.bl.example. 42 600 300 86400 300\n"
                              "$NS 3600 ns1.bl.example\n:3:listed $\n10.1.0.0/23\n!10.1.1.7\n192.0.2.1 :4:\n";

std::vector<std::uint8_t> request(const std::string& zone, std::uint16_t qtype, std::uint16_t qclass = 1,
    std::optional<std::uint32_t> serial = std::nullopt, std::uint16_t soaClass = 1)
{
  std::vector<std::uint8_t> q { 0x12, 0x34, 0, 0, 0, 1, 0, 0, 0, static_cast<std::uint8_t>(serial ? 1 : 0), 0,
    0 };
  std::size_t start = 0;
  for (std::size_t dot = 0; dot <= zone.size(); ++dot)
    if (dot == zone.size() || zone[dot] == '.') {
      q.push_back(static_cast<std::uint8_t>(dot - start));
      q.insert(q.end(), zone.begin() + static_cast<long>(start), zone.begin() + static_cast<long>(dot));
      start = dot + 1;
    }
  q.push_back(0);
  for (std::uint16_t field : { qtype, qclass })
    q.insert(q.end(), { static_cast<std::uint8_t>(field >> 8), static_cast<std::uint8_t>(field) });
  if (serial) {
    q.insert(q.end(),
        { 0xc0, 12, 0, 6, static_cast<std::uint8_t>(soaClass >> 8), static_cast<std::uint8_t>(soaClass), 0, 0,
            0, 0, 0, 22, 0, 0 });
    for (int shift = 24; shift >= 0; shift -= 8)
      q.push_back(static_cast<std::uint8_t>(*serial >> shift));
    q.insert(q.end(), 16, 0);
  }
  return q;
}

sockaddr_in client(const char* address)
{
  sockaddr_in peer {};
  peer.sin_family = AF_INET;
  inet_pton(AF_INET, address, &peer.sin_addr);
  return peer;
}

Settings settings()
{
  Settings result;
  result.allow = { "127.0.0.0/8" };
  return result;
}

struct Parsed {
  std::uint16_t id = 0;
  std::uint8_t rcode = 0;
  bool aa = false;
  std::vector<std::string> records; ///< ldns presentation, one per record
};

Parsed parse(const std::vector<std::uint8_t>& message)
{
  ldns_pkt* packet = nullptr;
  REQUIRE(ldns_wire2pkt(&packet, message.data(), message.size()) == LDNS_STATUS_OK);
  Parsed parsed { ldns_pkt_id(packet), static_cast<std::uint8_t>(ldns_pkt_get_rcode(packet)),
    ldns_pkt_aa(packet) != 0, {} };
  ldns_rr_list* answer = ldns_pkt_answer(packet);
  for (std::size_t i = 0; i < ldns_rr_list_rr_count(answer); ++i) {
    char* text = ldns_rr2str(ldns_rr_list_rr(answer, i));
    std::string line(text);
    free(text);
    parsed.records.push_back(line.substr(0, line.find_last_not_of('\n') + 1));
  }
  ldns_pkt_free(packet);
  return parsed;
}

// Every message of a transfer, waiting for the producer thread as the TCP loop would.
std::vector<std::vector<std::uint8_t>> drain(Transfer& transfer)
{
  std::vector<std::vector<std::uint8_t>> messages;
  std::vector<std::uint8_t> message;
  for (;;) {
    auto step = transfer.next(message);
    if (step == Transfer::Step::Done)
      return messages;
    if (step == Transfer::Step::Message)
      messages.push_back(message);
    else
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

Begin begin(Service& service, const std::vector<std::uint8_t>& query, const shun::zone::LoadResult& loaded,
    const char* from = "127.0.0.1")
{
  auto peer = client(from);
  return service.begin(query, reinterpret_cast<const sockaddr*>(&peer), loaded.snapshot, 0);
}

std::size_t dumpedRecords(const shun::zone::LoadResult& loaded)
{
  struct Count : shun::zone::RecordVisitor {
    std::size_t count = 0;
    void record(const shun::zone::ZoneRecord&) override { ++count; }
  } count;
  shun::zone::forEachRecord(loaded.snapshot->zones.at(0), 0, count);
  return count.count;
}

} // namespace

TEST_CASE("xfr: AXFR streams every record of the dump, SOA first and last, ID copied, AA set")
{
  TempDir dir;
  auto loaded = loadOne(dir, "ip4set", kZone);
  Service service(settings(), [](const std::string&) {});
  auto started = begin(service, request("bl.example", 252), loaded);
  REQUIRE(started.transfer);
  std::vector<std::string> records;
  for (const auto& message : drain(*started.transfer)) {
    Parsed parsed = parse(message);
    CHECK(parsed.id == 0x1234);
    CHECK(parsed.aa);
    CHECK(parsed.rcode == 0);
    records.insert(records.end(), parsed.records.begin(), parsed.records.end());
  }
  REQUIRE(records.size() == dumpedRecords(loaded) + 1);
  CHECK(records.front().find("\tSOA\t") != std::string::npos);
  CHECK(records.back() == records.front());
  CHECK(std::count_if(records.begin(), records.end(), [](const std::string& r) {
    return r.rfind("*.0.1.10.bl.example.\t2100\tIN\tA\t127.0.0.3", 0) == 0;
  }) == 1);
  CHECK(std::find(records.begin(), records.end(), "1.2.0.192.bl.example.\t2100\tIN\tA\t127.0.0.4")
      != records.end());
  CHECK(std::none_of(
      records.begin(), records.end(), [](const std::string& r) { return r.rfind("7.1.1.10.", 0) == 0; }));
  CHECK(service.counters().axfr == 1);
  CHECK(service.counters().completed == 1);
}

TEST_CASE("xfr: a large zone comes in several messages of at most the message size")
{
  std::ostringstream data;
  data << "$SOA 3600 ns1.bl.example. hostmaster.bl.example. 42 600 300 86400 300\n:2:spam $\n";
  for (int i = 0; i < 3000; ++i)
    data << "10.0." << i / 256 << '.' << i % 256 << '\n';
  TempDir dir;
  auto loaded = loadOne(dir, "ip4set", data.str());
  Service service(settings(), [](const std::string&) {});
  auto started = begin(service, request("bl.example", 252), loaded);
  REQUIRE(started.transfer);
  auto messages = drain(*started.transfer);
  CHECK(messages.size() > 10);
  std::size_t total = 0;
  for (const auto& message : messages) {
    CHECK(message.size() <= 16 * 1024);
    total += parse(message).records.size();
  }
  CHECK(total == 2 * 3000 + 2);
}

TEST_CASE("xfr: a zone not served is NOTAUTH, an address outside xfr-allow REFUSED, both counted")
{
  TempDir dir;
  auto loaded = loadOne(dir, "ip4set", kZone);
  std::vector<std::string> log;
  Service service(settings(), [&](const std::string& line) { log.push_back(line); });
  auto other = begin(service, request("other.example", 252), loaded);
  CHECK_FALSE(other.transfer);
  CHECK(parse(other.reply).rcode == 9);
  auto below = begin(service, request("x.bl.example", 252), loaded);
  CHECK(parse(below.reply).rcode == 9);
  auto outside = begin(service, request("bl.example", 252), loaded, "192.0.2.9");
  CHECK_FALSE(outside.transfer);
  CHECK(parse(outside.reply).rcode == 5);
  CHECK(service.counters().notAuth == 2);
  CHECK(service.counters().refused == 1);
  REQUIRE(log.size() == 3);
  CHECK(log[2].find("192.0.2.9") != std::string::npos);
}

TEST_CASE("xfr: IXFR from the current serial is the single SOA; from an older one the whole zone")
{
  TempDir dir;
  auto loaded = loadOne(dir, "ip4set", kZone);
  std::uint32_t serial = loaded.snapshot->zones.at(0).soa->serial;
  Service service(settings(), [](const std::string&) {});
  auto current = begin(service, request("bl.example", 251, 1, serial), loaded);
  CHECK_FALSE(current.transfer);
  Parsed single = parse(current.reply);
  REQUIRE(single.records.size() == 1);
  CHECK(single.records[0].find("\tSOA\t") != std::string::npos);
  auto old = begin(service, request("bl.example", 251, 1, serial - 1), loaded);
  REQUIRE(old.transfer);
  std::size_t total = 0;
  for (const auto& message : drain(*old.transfer))
    total += parse(message).records.size();
  CHECK(total == dumpedRecords(loaded) + 1);
  CHECK(service.counters().ixfrCurrent == 1);
  CHECK(service.counters().ixfrFull == 1);
}

TEST_CASE("xfr: malformed IXFR (no SOA in authority, wrong class) is FORMERR and counted")
{
  TempDir dir;
  auto loaded = loadOne(dir, "ip4set", kZone);
  Service service(settings(), [](const std::string&) {});
  CHECK(parse(begin(service, request("bl.example", 251), loaded).reply).rcode == 1);
  CHECK(parse(begin(service, request("bl.example", 251, 1, 41, 3), loaded).reply).rcode == 1);
  CHECK(parse(begin(service, request("bl.example", 252, 3), loaded).reply).rcode == 1);
  auto truncated = request("bl.example", 251, 1, 41);
  truncated.resize(truncated.size() - 10);
  CHECK(parse(begin(service, truncated, loaded).reply).rcode == 1);
  CHECK(service.counters().malformed == 4);
}

TEST_CASE("xfr: transfers from one address beyond the cap are refused until one ends")
{
  TempDir dir;
  auto loaded = loadOne(dir, "ip4set", kZone);
  Settings capped = settings();
  capped.maxPerClient = 2;
  Service service(capped, [](const std::string&) {});
  auto first = begin(service, request("bl.example", 252), loaded);
  auto second = begin(service, request("bl.example", 252), loaded);
  auto third = begin(service, request("bl.example", 252), loaded);
  CHECK(first.transfer);
  CHECK(second.transfer);
  CHECK_FALSE(third.transfer);
  CHECK(parse(third.reply).rcode == 5);
  CHECK(begin(service, request("bl.example", 252), loaded, "127.0.0.2").transfer);
  CHECK(service.counters().overLimit == 1);
  first.transfer.reset(); // cancelled mid-way: its slot is free again
  CHECK(begin(service, request("bl.example", 252), loaded).transfer);
}

TEST_CASE("xfr: isTransfer recognises AXFR and IXFR queries only")
{
  CHECK(Service::isTransfer(request("bl.example", 252)));
  CHECK(Service::isTransfer(request("bl.example", 251)));
  CHECK_FALSE(Service::isTransfer(request("bl.example", 6)));
  auto notify = request("bl.example", 252);
  notify[2] = 4 << 3;
  CHECK_FALSE(Service::isTransfer(notify));
  CHECK_FALSE(Service::isTransfer(std::vector<std::uint8_t>(5, 0)));
}

TEST_CASE("xfr: a bad xfr-allow range or notify target is rejected at start")
{
  Settings bad;
  bad.allow = { "10.0.0.0/33" };
  CHECK_THROWS_AS(Service(bad, [](const std::string&) {}), std::invalid_argument);
  bad.allow = { "not-an-address" };
  CHECK_THROWS_AS(Service(bad, [](const std::string&) {}), std::invalid_argument);
  bad.allow.clear();
  bad.notify = { "bl.example 127.0.0.1/70000" };
  CHECK_THROWS_AS(Service(bad, [](const std::string&) {}), std::invalid_argument);
  bad.notify = { "bl.example" };
  CHECK_THROWS_AS(Service(bad, [](const std::string&) {}), std::invalid_argument);
}
