#include "server/worker_context.hpp"

#include <catch2/catch.hpp>
#include <cstring>
#include <netinet/in.h>

using namespace shun;

namespace {

// "x.example" A IN.
const std::vector<std::uint8_t> kQuery { 0x12, 0x34, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 'x', 7, 'e', 'x', 'a',
  'm', 'p', 'l', 'e', 0, 0, 1, 0, 1 };

std::shared_ptr<const store::Snapshot> snapshotServing(const char* zone)
{
  auto snapshot = std::make_shared<store::Snapshot>();
  if (zone) {
    snapshot->zones.emplace_back();
    snapshot->zones.back().text = zone;
    snapshot->zones.back().name = std::string(1, static_cast<char>(std::strlen(zone))) + zone + '\0';
  }
  snapshot->index();
  return snapshot;
}

struct Context {
  metrics::ZoneSlots slots;
  server::SnapshotHolder holder { 1 };
  server::WorkerShared shared { holder };
  server::WorkerContext context { 0, shared };
  std::vector<std::uint8_t> out = std::vector<std::uint8_t>(1232);

  void publish(const char* zone) { holder.publish(server::makeServingState(snapshotServing(zone), slots)); }
  query::Result ask()
  {
    sockaddr_in peer {};
    peer.sin_family = AF_INET;
    peer.sin_addr.s_addr = htonl(0xC0000201);
    return context.handle(kQuery, reinterpret_cast<const sockaddr*>(&peer), query::Transport::Udp, out);
  }
};

} // namespace

TEST_CASE("worker context: before any snapshot it answers from an empty one (REFUSED)")
{
  Context c;
  c.context.refresh(); // nothing published yet
  auto result = c.ask();
  CHECK(result.length > 0);
  CHECK(result.rcode == 5);
  CHECK(result.zone == nullptr);
  CHECK(c.context.snapshot() == nullptr);
}

TEST_CASE("worker context: a published snapshot is served from the next refresh, not before")
{
  Context c;
  c.publish(nullptr);
  c.context.refresh();
  CHECK(c.ask().rcode == 5);

  c.publish("example");
  CHECK(c.ask().rcode == 5); // the batch under way keeps the snapshot it started with
  c.context.refresh();
  auto served = c.ask();
  REQUIRE(served.zone != nullptr);
  CHECK(served.zone->text == "example");
  CHECK(served.rcode != 5);
  CHECK(c.context.snapshot()->zones.size() == 1);

  c.publish(nullptr); // the zone is dropped again
  c.context.refresh();
  CHECK(c.ask().zone == nullptr);
  CHECK(c.ask().rcode == 5);
  auto counted = c.context.counters().read();
  CHECK(counted.unlisted == 1); // the one answer from the zone
  CHECK(counted.queries[0][5] == 4);
}
