#include "shun/metrics/counters.hpp"

#include <catch2/catch.hpp>
#include <thread>

using namespace shun;

namespace {

query::Result answered(std::uint8_t rcode, std::size_t length, bool listed = false)
{
  static const store::Zone zone;
  query::Result result;
  result.rcode = rcode;
  result.length = length;
  result.listed = listed;
  result.zone = &zone;
  return result;
}

} // namespace

TEST_CASE("counters: answers count per zone slot, by rcode and by transport")
{
  metrics::WorkerCounters counters;
  counters.count(query::Transport::Udp, answered(0, 60, true), 40, 0);
  counters.count(query::Transport::Udp, answered(3, 80), 42, 0);
  counters.count(query::Transport::Tcp, answered(5, 30), 30, 1);
  auto zone0 = counters.readZone(0);
  CHECK(zone0 == metrics::ZoneCounters { 2, 1, 1, 82, 140 });
  CHECK(counters.readZone(1) == metrics::ZoneCounters { 1, 0, 0, 30, 30 });
  auto all = counters.read();
  CHECK(all.queries[0][0] == 1);
  CHECK(all.queries[0][3] == 1);
  CHECK(all.queries[1][5] == 1);
  CHECK(all.listed == 1);
  CHECK(all.unlisted == 2);
  CHECK(all.answered() == 3);
  CHECK(counters.readTotal() == metrics::ZoneCounters { 3, 1, 1, 112, 170 });
}

TEST_CASE("counters: answered queries count by type, unlabelled types as other")
{
  metrics::WorkerCounters counters;
  for (std::uint16_t qtype : { 1, 1, 16, 99 }) {
    auto result = answered(0, 50);
    result.qtype = qtype;
    counters.count(query::Transport::Udp, result, 30, 0);
  }
  auto all = counters.read();
  CHECK(all.byQtype[metrics::qtypeSlot(1)] == 2);
  CHECK(all.byQtype[metrics::qtypeSlot(16)] == 1);
  CHECK(std::string(metrics::qtypeSlotName(metrics::qtypeSlot(16))) == "TXT");
  CHECK(std::string(metrics::qtypeSlotName(metrics::qtypeSlot(99))) == "other");
  CHECK(all.byQtype[metrics::kQtypeSlots - 1] == 1);
}

TEST_CASE("counters: a dropped malformed packet counts in the * total and as dropped, not in a zone")
{
  metrics::WorkerCounters counters;
  query::Result garbage;
  garbage.malformed = true;
  counters.count(query::Transport::Udp, garbage, 7, metrics::kNoZoneSlot);
  auto all = counters.read();
  CHECK(all.malformed == 1);
  CHECK(all.dropped == 1);
  CHECK(all.answered() == 0);
  CHECK(counters.readTotal() == metrics::ZoneCounters { 1, 0, 0, 7, 0 });
}

TEST_CASE("counters: sums over workers add up, a baseline subtracts a reset")
{
  metrics::WorkerCounters first, second;
  std::thread writer([&] {
    for (int index = 0; index < 1000; ++index)
      first.count(query::Transport::Udp, answered(0, 10), 5, 2);
  });
  for (int index = 0; index < 500; ++index)
    second.count(query::Transport::Udp, answered(3, 10), 5, 2);
  writer.join();
  metrics::StatsReport report;
  report.zones.push_back({ "z", first.readZone(2) });
  report.zones.back().second += second.readZone(2);
  report.total = first.readTotal();
  report.total += second.readTotal();
  CHECK(report.zones[0].second == metrics::ZoneCounters { 1500, 1000, 500, 7500, 15000 });
  metrics::StatsReport baseline = report;
  report -= baseline;
  CHECK(report.zones[0].second == metrics::ZoneCounters {});
  CHECK(report.total == metrics::ZoneCounters {});
}

TEST_CASE("zone slots: a zone keeps its slot across reloads, new zones get new slots")
{
  metrics::ZoneSlots slots;
  CHECK(slots.slotFor("bl.example") == 0);
  CHECK(slots.slotFor("dbl.example") == 1);
  CHECK(slots.slotFor("bl.example") == 0);
  CHECK(slots.names() == std::vector<std::string> { "bl.example", "dbl.example" });
}

TEST_CASE("zone slots: zones beyond the slot limit get no slot")
{
  metrics::ZoneSlots slots;
  for (std::size_t index = 0; index < metrics::kMaxZoneSlots; ++index)
    CHECK(slots.slotFor("z" + std::to_string(index)) == index);
  CHECK(slots.slotFor("one.more") == metrics::kNoZoneSlot);
}
