#include "server/tcp_framer.hpp"

#include <catch2/catch.hpp>
#include <vector>

using shun::server::TcpFramer;

namespace {

std::vector<std::uint8_t> frame(std::size_t length, std::uint8_t fill)
{
  std::vector<std::uint8_t> bytes(2 + length, fill);
  bytes[0] = static_cast<std::uint8_t>(length >> 8);
  bytes[1] = static_cast<std::uint8_t>(length);
  return bytes;
}

// Feeds stream in pieces of `step` bytes and returns every message seen.
std::vector<std::vector<std::uint8_t>> split(const std::vector<std::uint8_t>& stream, std::size_t step)
{
  TcpFramer framer;
  std::vector<std::vector<std::uint8_t>> messages;
  for (std::size_t at = 0; at < stream.size(); at += step) {
    std::span<const std::uint8_t> piece(stream.data() + at, std::min(step, stream.size() - at));
    while (!piece.empty()) {
      piece = piece.subspan(framer.feed(piece));
      if (framer.complete()) {
        messages.emplace_back(framer.message().begin(), framer.message().end());
        framer.next();
      }
    }
  }
  return messages;
}

} // namespace

TEST_CASE("tcp framing: pipelined messages come out whole whatever the piece size")
{
  auto stream = frame(29, 0xaa);
  auto second = frame(300, 0xbb);
  auto third = frame(1, 0xcc);
  stream.insert(stream.end(), second.begin(), second.end());
  stream.insert(stream.end(), third.begin(), third.end());
  for (std::size_t step : { 1, 2, 3, 7, 31, 32, 333, 4096 }) {
    auto messages = split(stream, step);
    INFO("piece size " << step);
    REQUIRE(messages.size() == 3);
    CHECK(messages[0] == std::vector<std::uint8_t>(29, 0xaa));
    CHECK(messages[1] == std::vector<std::uint8_t>(300, 0xbb));
    CHECK(messages[2] == std::vector<std::uint8_t>(1, 0xcc));
  }
}

TEST_CASE("tcp framing: half a length or half a message is partial, not complete")
{
  TcpFramer framer;
  CHECK_FALSE(framer.partial());
  std::uint8_t first = 0;
  CHECK(framer.feed({ &first, 1 }) == 1);
  CHECK(framer.partial());
  CHECK_FALSE(framer.complete());
  std::uint8_t rest[] = { 5, 1, 2, 3 };
  CHECK(framer.feed(rest) == 4);
  CHECK(framer.partial());
  std::uint8_t last[] = { 4, 5, 9, 9 };
  CHECK(framer.feed(last) == 2); // stops at the end of the message
  CHECK(framer.complete());
  CHECK_FALSE(framer.partial());
  CHECK(framer.message().size() == 5);
  framer.next();
  CHECK_FALSE(framer.partial());
}

TEST_CASE("tcp framing: a zero-length frame is a complete empty message")
{
  auto messages = split({ 0, 0, 0, 1, 7 }, 1);
  REQUIRE(messages.size() == 2);
  CHECK(messages[0].empty());
  CHECK(messages[1] == std::vector<std::uint8_t> { 7 });
}

TEST_CASE("tcp framing: the largest message, 65535 bytes, is accepted")
{
  auto messages = split(frame(65535, 0x11), 1000);
  REQUIRE(messages.size() == 1);
  CHECK(messages[0].size() == 65535);
}
