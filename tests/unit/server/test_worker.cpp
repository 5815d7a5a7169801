#include "server/sockets.hpp"
#include "server/tcp_worker.hpp"
#include "server/udp_worker.hpp"

#include <arpa/inet.h>
#include <catch2/catch.hpp>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

using namespace shun;

namespace {

// A query for "x.example" A IN with the given ID.
std::vector<std::uint8_t> queryPacket(std::uint16_t id)
{
  std::vector<std::uint8_t> packet { static_cast<std::uint8_t>(id >> 8), static_cast<std::uint8_t>(id), 0, 0,
    0, 1, 0, 0, 0, 0, 0, 0, 1, 'x', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, 0, 1, 0, 1 };
  return packet;
}

// A socket connected to the listener (or to `to` on its port): it only accepts replies from there.
server::UniqueFd connected(const server::Listener& listener, int type, const char* to = nullptr)
{
  server::UniqueFd fd(socket(AF_INET, type | SOCK_CLOEXEC, 0));
  timeval timeout { 2, 0 };
  setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in address = reinterpret_cast<const sockaddr_in&>(listener.address);
  if (to)
    inet_pton(AF_INET, to, &address.sin_addr);
  REQUIRE(connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0);
  return fd;
}

std::vector<std::uint8_t> readExactly(int fd, std::size_t length)
{
  std::vector<std::uint8_t> bytes(length);
  std::size_t have = 0;
  while (have < length) {
    auto got = recv(fd, bytes.data() + have, length - have, 0);
    REQUIRE(got > 0);
    have += static_cast<std::size_t>(got);
  }
  return bytes;
}

struct RunningWorker {
  metrics::ZoneSlots slots;
  server::SnapshotHolder holder { 2 };
  server::WorkerShared shared { holder };
  std::vector<server::Listener> listeners;
  std::unique_ptr<server::UdpWorker> udp;
  std::unique_ptr<server::TcpWorker> tcp;
  explicit RunningWorker(std::vector<config::ListenSpec> addresses = { { "127.0.0.1", "0" } })
  {
    holder.publish(server::makeServingState(std::make_shared<store::Snapshot>(), slots));
    listeners = server::bindListeners(addresses, config::Family::V4, 1);
    std::vector<server::UniqueFd> udpSockets, tcpSockets;
    for (auto& listener : listeners) {
      udpSockets.push_back(std::move(listener.udp[0]));
      tcpSockets.push_back(std::move(listener.tcp[0]));
    }
    udp = std::make_unique<server::UdpWorker>(0, 0, shared, std::move(udpSockets));
    tcp = std::make_unique<server::TcpWorker>(0, 1, shared, std::move(tcpSockets));
    udp->start();
    tcp->start();
  }
  ~RunningWorker()
  {
    shared.stop = true;
    udp->join();
    tcp->join();
  }
};

} // namespace

TEST_CASE("worker: a UDP query outside every zone is answered REFUSED with its ID")
{
  RunningWorker running;
  auto fd = connected(running.listeners[0], SOCK_DGRAM);
  for (std::uint16_t id : { 0x1234, 0x1235, 0x1236 }) {
    auto query = queryPacket(id);
    REQUIRE(send(fd.get(), query.data(), query.size(), 0) == static_cast<ssize_t>(query.size()));
  }
  for (int answer = 0; answer < 3; ++answer) {
    std::uint8_t reply[512];
    auto length = recv(fd.get(), reply, sizeof reply, 0);
    REQUIRE(length >= 12);
    CHECK(reply[0] == 0x12);
    CHECK((reply[2] & 0x80) != 0); // QR
    CHECK((reply[3] & 0x0f) == 5); // REFUSED
  }
  CHECK(running.udp->counters().read().queries[0][5] == 3);
}

TEST_CASE("worker: pipelined TCP queries sent in pieces get framed answers in order")
{
  RunningWorker running;
  auto fd = connected(running.listeners[0], SOCK_STREAM);
  std::vector<std::uint8_t> stream;
  for (std::uint16_t id : { 1, 2 }) {
    auto query = queryPacket(id);
    stream.push_back(0);
    stream.push_back(static_cast<std::uint8_t>(query.size()));
    stream.insert(stream.end(), query.begin(), query.end());
  }
  for (std::size_t at = 0; at < stream.size(); at += 5) { // 5-byte pieces split lengths and headers
    auto piece = std::min<std::size_t>(5, stream.size() - at);
    REQUIRE(send(fd.get(), stream.data() + at, piece, MSG_NOSIGNAL) == static_cast<ssize_t>(piece));
    poll(nullptr, 0, 2);
  }
  for (std::uint16_t id : { 1, 2 }) {
    auto prefix = readExactly(fd.get(), 2);
    auto reply = readExactly(fd.get(), static_cast<std::size_t>(prefix[0] << 8 | prefix[1]));
    CHECK((reply[0] << 8 | reply[1]) == id);
    CHECK((reply[3] & 0x0f) == 5);
  }
  CHECK(running.tcp->counters().read().queries[1][5] == 2);
}

TEST_CASE("worker: garbage is dropped and counted, the worker keeps serving")
{
  RunningWorker running;
  auto fd = connected(running.listeners[0], SOCK_DGRAM);
  std::uint8_t garbage[5] = { 1, 2, 3, 4, 5 };
  REQUIRE(send(fd.get(), garbage, sizeof garbage, 0) == 5);
  auto query = queryPacket(7);
  REQUIRE(send(fd.get(), query.data(), query.size(), 0) == static_cast<ssize_t>(query.size()));
  std::uint8_t reply[512];
  REQUIRE(recv(fd.get(), reply, sizeof reply, 0) >= 12);
  CHECK(reply[1] == 7);
  auto counters = running.udp->counters().read();
  CHECK(counters.dropped == 1);
  CHECK(counters.malformed == 1);
}

TEST_CASE("worker: an oversized datagram in a batch is dropped and the queries around it are answered")
{
  RunningWorker running;
  auto fd = connected(running.listeners[0], SOCK_DGRAM);
  // Sent before the worker wakes, they mostly arrive as one batch: the prefetch pass reads the
  // oversized one's first 4096 bytes, but the answer path must take it for garbage (no hint).
  std::vector<std::uint8_t> oversized = queryPacket(8);
  oversized.resize(server::UdpBatch::kQuerySize + 100);
  for (const auto& packet : { queryPacket(7), oversized, queryPacket(9) })
    REQUIRE(send(fd.get(), packet.data(), packet.size(), 0) == static_cast<ssize_t>(packet.size()));
  for (std::uint8_t id : { 7, 9 }) {
    std::uint8_t reply[512];
    REQUIRE(recv(fd.get(), reply, sizeof reply, 0) >= 12);
    CHECK(reply[1] == id);
  }
  auto counters = running.udp->counters().read();
  CHECK(counters.dropped == 1);
  CHECK(counters.malformed == 1);
}

TEST_CASE("worker: on a wildcard address the reply comes from the address the query was sent to")
{
  RunningWorker running(std::vector<config::ListenSpec> { { "0.0.0.0", "0" } });
  auto fd = connected(running.listeners[0], SOCK_DGRAM, "127.0.0.3");
  auto query = queryPacket(9);
  REQUIRE(send(fd.get(), query.data(), query.size(), 0) == static_cast<ssize_t>(query.size()));
  std::uint8_t reply[512];
  REQUIRE(recv(fd.get(), reply, sizeof reply, 0) >= 12); // a reply from 127.0.0.1 would be filtered out
  CHECK(reply[1] == 9);
}

TEST_CASE("worker: a UDP worker with two addresses (polled, not blocking) answers on both")
{
  RunningWorker running(std::vector<config::ListenSpec> { { "127.0.0.1", "0" }, { "127.0.0.2", "0" } });
  std::uint16_t id = 20;
  for (const auto& listener : running.listeners) {
    auto fd = connected(listener, SOCK_DGRAM);
    auto query = queryPacket(id);
    REQUIRE(send(fd.get(), query.data(), query.size(), 0) == static_cast<ssize_t>(query.size()));
    std::uint8_t reply[512];
    REQUIRE(recv(fd.get(), reply, sizeof reply, 0) >= 12);
    CHECK(reply[1] == id++);
  }
}
