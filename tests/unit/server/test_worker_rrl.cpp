#include "server/worker_context.hpp"
#include "shun/rrl/limiter.hpp"

#include <catch2/catch.hpp>
#include <netinet/in.h>

using namespace shun;

namespace {

constexpr std::uint64_t kMicros = 7000000000ull;

// "x.example" A (outside every zone: REFUSED, an error answer), with an OPT carrying cookie if any.
std::vector<std::uint8_t> queryPacket(const std::vector<std::uint8_t>& cookie = {}, bool edns = false)
{
  bool opt = edns || !cookie.empty();
  std::vector<std::uint8_t> packet { 0x12, 0x34, 0, 0, 0, 1, 0, 0, 0, 0, 0,
    static_cast<std::uint8_t>(opt ? 1 : 0), 1, 'x', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, 0, 1, 0, 1 };
  if (!opt)
    return packet;
  std::uint8_t length = cookie.empty() ? 0 : static_cast<std::uint8_t>(4 + cookie.size());
  packet.insert(packet.end(), { 0, 0, 41, 4, 0xd0, 0, 0, 0, 0, 0, length });
  if (!cookie.empty()) {
    packet.insert(packet.end(), { 0, 10, 0, static_cast<std::uint8_t>(cookie.size()) });
    packet.insert(packet.end(), cookie.begin(), cookie.end());
  }
  return packet;
}

sockaddr_in from(std::uint32_t address)
{
  sockaddr_in peer {};
  peer.sin_family = AF_INET;
  peer.sin_addr.s_addr = htonl(address);
  return peer;
}

struct Limited {
  metrics::ZoneSlots slots;
  server::SnapshotHolder holder { 1 };
  server::WorkerShared shared { holder };
  std::unique_ptr<rrl::Limiter> limiter;
  std::unique_ptr<server::WorkerContext> context;
  std::vector<std::uint8_t> out = std::vector<std::uint8_t>(1232);

  explicit Limited(rrl::Settings settings, bool cookies = false)
  {
    holder.publish(server::makeServingState(std::make_shared<store::Snapshot>(), slots));
    if (cookies)
      shared.cookieSecrets.set({ query::randomCookieSecret() });
    if (settings.enabled) {
      limiter = std::make_unique<rrl::Limiter>(settings, 42);
      shared.limiter = limiter.get();
    }
    context = std::make_unique<server::WorkerContext>(0, shared);
    context->refresh();
    context->setMonotonicMicros(kMicros);
  }
  query::Result ask(const std::vector<std::uint8_t>& packet, std::uint32_t address = 0xC0000201,
      query::Transport transport = query::Transport::Udp)
  {
    auto peer = from(address);
    return context->handle(packet, reinterpret_cast<const sockaddr*>(&peer), transport, out);
  }
  // Sends n queries at one instant: {full answers, slips (TC or BADCOOKIE), drops}.
  std::array<int, 3> burst(int n, const std::vector<std::uint8_t>& packet, std::uint32_t address = 0xC0000201)
  {
    std::array<int, 3> seen {};
    for (int i = 0; i < n; ++i) {
      auto result = ask(packet, address);
      bool slipped = result.length > 0 && ((out[2] & 0x02) != 0 || (out[3] & 0x0f) == 7);
      ++seen[result.length == 0 ? 2 : slipped ? 1 : 0];
    }
    return seen;
  }
};

rrl::Settings small()
{
  rrl::Settings settings;
  settings.enabled = true;
  settings.rate = 10;
  settings.errorRate = 10;
  settings.tableSize = 1024;
  return settings;
}

} // namespace

TEST_CASE("worker rrl: over the rate every second answer slips (TC) and the others are dropped, counted")
{
  Limited worker(small());
  auto seen = worker.burst(30, queryPacket());
  CHECK(seen == std::array<int, 3> { 10, 10, 10 });
  auto counters = worker.context->counters().read();
  CHECK(counters.limited[static_cast<std::size_t>(metrics::Limited::Slipped)] == 10);
  CHECK(counters.limited[static_cast<std::size_t>(metrics::Limited::Dropped)] == 10);
  CHECK(counters.dropped == 10);
  CHECK(counters.truncated == 10);
  CHECK(worker.burst(5, queryPacket(), 0xC0000301)[0] == 5); // another /24
}

TEST_CASE("worker rrl: TCP answers are never limited")
{
  Limited worker(small());
  for (int i = 0; i < 30; ++i)
    REQUIRE(worker.ask(queryPacket(), 0xC0000201, query::Transport::Tcp).length > 0);
  CHECK(worker.burst(10, queryPacket())[0] == 10);
}

TEST_CASE("worker rrl: log-only mode answers everything and counts what it would have limited")
{
  rrl::Settings settings = small();
  settings.logOnly = true;
  Limited worker(settings);
  CHECK(worker.burst(30, queryPacket())[0] == 30);
  CHECK(worker.context->counters().read().limited[static_cast<std::size_t>(metrics::Limited::LogOnly)] == 20);
}

TEST_CASE("worker rrl: exempt ranges and clients with a valid cookie are not limited")
{
  rrl::Settings settings = small();
  settings.exempt = { rrl::parsePrefix("192.0.2.0/25") };
  Limited worker(settings, true);
  CHECK(worker.burst(30, queryPacket(), 0xC0000201)[0] == 30);
  CHECK(worker.burst(30, queryPacket(), 0xC0000281)[0] == 10);

  std::vector<std::uint8_t> clientCookie { 1, 2, 3, 4, 5, 6, 7, 8 };
  auto first = worker.ask(queryPacket(clientCookie), 0x0A000001);
  REQUIRE(first.length > 24);
  REQUIRE(first.cookie == query::CookieState::ClientOnly);
  std::vector<std::uint8_t> cookie(worker.out.begin() + static_cast<long>(first.length) - 24,
      worker.out.begin() + static_cast<long>(first.length));
  CHECK(worker.burst(30, queryPacket(cookie), 0x0A000001)[0] == 30);
  CHECK(worker.context->counters().read().cookies[static_cast<std::size_t>(query::CookieState::Valid)] == 30);
}

TEST_CASE("worker rrl: a limited client that sent only a client cookie slips as BADCOOKIE")
{
  rrl::Settings settings = small();
  settings.slip = 1;
  Limited worker(settings, true);
  std::vector<std::uint8_t> clientCookie { 1, 2, 3, 4, 5, 6, 7, 8 };
  CHECK(worker.burst(10, queryPacket(clientCookie))[0] == 10);
  auto result = worker.ask(queryPacket(clientCookie));
  REQUIRE(result.length > 0);
  CHECK((worker.out[3] & 0x0f) == 7); // BADCOOKIE's low bits; its high bits ride in the OPT
  CHECK((worker.out[2] & 0x02) == 0);
  CHECK(result.cookie == query::CookieState::ClientOnly);
}
