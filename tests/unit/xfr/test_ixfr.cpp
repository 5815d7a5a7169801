#include "shun/listing/journal.hpp"
#include "shun/xfr/xfr.hpp"
#include "shun/zone/incremental_loader.hpp"
#include "support/ldns.hpp"
#include "zone/incremental_test_util.hpp"

#include <arpa/inet.h>
#include <catch2/catch.hpp>
#include <netinet/in.h>
#include <random>
#include <thread>

using namespace zonetest;
using shun::xfr::Service;
using shun::xfr::Transfer;

namespace {

const std::string kSoa
    = "$SOA 3600 ns1.bl.example. hostmaster.bl.example. 0 600 300 86400 300\n:2:listed $\n";

std::vector<std::uint8_t> ixfrQuery(std::uint32_t serial)
{
  std::vector<std::uint8_t> q { 0, 7, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 2, 'b', 'l', 7, 'e', 'x', 'a', 'm', 'p',
    'l', 'e', 0, 0, 251, 0, 1, 0xc0, 12, 0, 6, 0, 1, 0, 0, 0, 0, 0, 22, 0, 0 };
  for (int shift = 24; shift >= 0; shift -= 8)
    q.push_back(static_cast<std::uint8_t>(serial >> shift));
  q.insert(q.end(), 16, 0);
  return q;
}

// The answer records of every message, "owner type rdata" as ldns writes them (TTL left out).
std::vector<std::string> transferred(Service& service, const std::vector<std::uint8_t>& query,
    const std::shared_ptr<const shun::store::Snapshot>& snapshot)
{
  sockaddr_in peer {};
  peer.sin_family = AF_INET;
  inet_pton(AF_INET, "127.0.0.1", &peer.sin_addr);
  auto begin = service.begin(query, reinterpret_cast<const sockaddr*>(&peer), snapshot, 1001);
  std::vector<std::vector<std::uint8_t>> messages;
  if (!begin.transfer)
    messages.push_back(begin.reply);
  std::vector<std::uint8_t> message;
  while (begin.transfer) {
    auto step = begin.transfer->next(message);
    if (step == Transfer::Step::Done)
      break;
    if (step == Transfer::Step::Message)
      messages.push_back(message);
    else
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  std::vector<std::string> records;
  for (const auto& bytes : messages) {
    ldns_pkt* packet = nullptr;
    REQUIRE(ldns_wire2pkt(&packet, bytes.data(), bytes.size()) == LDNS_STATUS_OK);
    for (std::size_t i = 0; i < ldns_rr_list_rr_count(ldns_pkt_answer(packet)); ++i) {
      ldns_rr* rr = ldns_rr_list_rr(ldns_pkt_answer(packet), i);
      char* owner = ldns_rdf2str(ldns_rr_owner(rr));
      char* type = ldns_rr_type2str(ldns_rr_get_type(rr));
      std::string line = std::string(owner) + " " + type;
      for (std::size_t field = 0; field < ldns_rr_rd_count(rr); ++field) {
        char* rdata = ldns_rdf2str(ldns_rr_rdf(rr, field));
        line += std::string(" ") + rdata;
        free(rdata);
      }
      free(owner);
      free(type);
      records.push_back(line);
    }
    ldns_pkt_free(packet);
  }
  return records;
}

} // namespace

TEST_CASE("ixfr: a journaled add and remove are sent as differences, a range cut whole")
{
  TempDir dir;
  std::string file = dir.write("small", kSoa + "192.0.2.1\n10.0.0.0/24\n");
  shun::zone::IncrementalLoader loader({ shun::zone::parseZoneSpec("bl.example:ip4set:" + file) }, {});
  auto first = loader.load(1000);
  REQUIRE(first.snapshot);
  shun::xfr::Settings settings;
  settings.allow = { "127.0.0.1" };
  Service service(settings, [](const std::string&) {});
  service.observe(first.snapshot, 1000);
  std::uint32_t before = first.snapshot->zones.at(0).soa->serial;

  auto remove = journalAdd("192.0.2.1");
  remove.kind = shun::listing::JournalRecord::Kind::Remove;
  appendTo(file + ".journal",
      shun::listing::encodeJournalBlock({ journalAdd("192.0.2.9"), journalAdd("10.0.0.5"), remove }));
  auto second = loader.load(1001);
  REQUIRE(second.snapshot);
  service.observe(second.snapshot, 1001);
  std::uint32_t after = second.snapshot->zones.at(0).soa->serial;
  REQUIRE(after != before);

  auto records = transferred(service, ixfrQuery(before), second.snapshot);
  std::string soaAfter = "bl.example. SOA ns1.bl.example. hostmaster.bl.example. " + std::to_string(after);
  std::string soaBefore = "bl.example. SOA ns1.bl.example. hostmaster.bl.example. " + std::to_string(before);
  REQUIRE(records.size() > 6);
  CHECK(records.front().rfind(soaAfter, 0) == 0);
  CHECK(records[1].rfind(soaBefore, 0) == 0);
  CHECK(records[2] == "*.0.0.10.bl.example. A 127.0.0.2"); // the /24 is cut: its wildcard goes
  auto middle = std::find_if(
      records.begin() + 2, records.end(), [&](const auto& r) { return r.rfind(soaAfter, 0) == 0; });
  REQUIRE(middle != records.end());
  std::vector<std::string> deleted(records.begin() + 2, middle);
  CHECK(deleted.size() == 4); // the wildcard and 192.0.2.1, each an A and a TXT
  CHECK(std::find(deleted.begin(), deleted.end(), "1.2.0.192.bl.example. A 127.0.0.2") != deleted.end());
  std::vector<std::string> added(middle + 1, records.end() - 1);
  CHECK(added.size() == 2 * 256 + 2); // the /24 expanded around .5, and 192.0.2.9
  CHECK(std::find(added.begin(), added.end(), "9.2.0.192.bl.example. A 127.0.0.2") != added.end());
  CHECK(std::find(added.begin(), added.end(), "5.0.0.10.bl.example. A 127.0.0.2") != added.end());
  CHECK(records.back().rfind(soaAfter, 0) == 0);
  CHECK(service.counters().ixfr == 1);

  // A serial the differences do not reach gets the whole zone (AXFR form: SOA, records, SOA).
  auto whole = transferred(service, ixfrQuery(before - 7), second.snapshot);
  CHECK(whole.size() == 2 + 2 * 256 + 2);
}

TEST_CASE("ixfr: the difference over the changed keys' windows equals the one over the whole zones")
{
  TempDir dir;
  std::string file = dir.write("zone",
      kSoa
          + "10.0.0.0/16\n10.0.5.0/24 :3:\n10.0.5.7\n!10.0.9.9\n172.16.0.0/12\n!172.17.0.0/24\n"
            "192.0.2.0/24\n192.0.2.8\n198.51.100.0/30\n");
  shun::zone::IncrementalLoader loader({ shun::zone::parseZoneSpec("bl.example:ip4set:" + file) }, {});
  auto previous = loader.load(1000).snapshot;
  REQUIRE(previous);
  const std::vector<std::string> candidates { "10.0.5.9", "10.0.9.9", "10.0.200.1", "172.20.3.4",
    "172.17.0.5", "192.0.2.8", "192.0.2.77", "203.0.113.5", "10.0.6.0/24", "172.16.0.0/16", "192.0.2.0/25",
    "10.0.0.0/8", "198.51.100.2" };
  std::mt19937 random(7);
  for (int step = 0; step < 30; ++step) {
    std::vector<shun::listing::JournalRecord> records;
    std::vector<std::string> keys;
    for (std::size_t count = 1 + random() % 3; keys.size() < count;) {
      keys.push_back(candidates[random() % candidates.size()]);
      records.push_back(journalAdd(keys.back()));
      if (random() % 3 == 0)
        records.back().kind = shun::listing::JournalRecord::Kind::Remove;
    }
    appendTo(file + ".journal", shun::listing::encodeJournalBlock(records));
    auto next = loader.load(1001 + step).snapshot;
    if (!next)
      continue;
    auto windows = shun::zone::zoneDifference(previous->zones.at(0), next->zones.at(0), keys, 1001 + step);
    auto whole = shun::zone::zoneDifference(previous->zones.at(0), next->zones.at(0), { "?" }, 1001 + step);
    REQUIRE(windows);
    REQUIRE(whole);
    INFO("step " << step << ", first key " << keys.front());
    CHECK(windows->deleted == whole->deleted);
    CHECK(windows->added == whole->added);
    previous = next;
  }
}
