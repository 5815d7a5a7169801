#include "shun/wire/message.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using namespace shun::wire;

namespace {

std::vector<std::uint8_t> packet(std::string_view header, std::string_view rest)
{
  std::vector<std::uint8_t> bytes(header.begin(), header.end());
  bytes.insert(bytes.end(), rest.begin(), rest.end());
  return bytes;
}

using namespace std::string_view_literals;
using namespace std::string_literals;
constexpr auto kHeader = "\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"sv;
constexpr auto kHeaderOpt = "\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x01"sv;
constexpr auto kQuestion = "\x01"
                           "2\x02"
                           "Bl\x07"
                           "example\x00\x00\x01\x00\x01"sv;
constexpr auto kOpt = "\x00\x00\x29\x04\xd0\x00\x00\x80\x00\x00\x00"sv;

ParsedQuery parse(const std::vector<std::uint8_t>& bytes)
{
  ParsedQuery parsed;
  parseQuery(bytes, parsed);
  return parsed;
}

} // namespace

TEST_CASE("wire: a plain query yields the lower-case name, type, class and question end")
{
  auto parsed = parse(packet(kHeader, kQuestion));
  REQUIRE(parsed.status == ParseStatus::Ok);
  CHECK(parsed.id == 0x1234);
  CHECK(parsed.rd);
  CHECK(parsed.lowerName()
      == "\x01"
         "2\x02"
         "bl\x07"
         "example\x00"sv);
  CHECK(parsed.qtype == 1);
  CHECK(parsed.qclass == 1);
  CHECK(parsed.questionEnd == 12 + kQuestion.size());
  CHECK_FALSE(parsed.hasOpt);
}

TEST_CASE("wire: an OPT in ADDITIONAL gives size, version and DO")
{
  auto parsed = parse(packet(kHeaderOpt, std::string(kQuestion) + std::string(kOpt)));
  REQUIRE(parsed.status == ParseStatus::Ok);
  CHECK(parsed.hasOpt);
  CHECK(parsed.udpSize == 1232);
  CHECK(parsed.ednsVersion == 0);
  CHECK(parsed.doBit);
}

TEST_CASE("wire: an OPT not owned by the root is FORMERR; an OPT outside ADDITIONAL is ignored")
{
  std::string badOwner = std::string(kQuestion) + "\xc0\x0c" + std::string(kOpt.substr(1));
  CHECK(parse(packet(kHeaderOpt, badOwner)).status == ParseStatus::FormErr);
  auto inAnswer = packet(
      "\x12\x34\x01\x00\x00\x01\x00\x01\x00\x00\x00\x00"sv, std::string(kQuestion) + std::string(kOpt));
  auto parsed = parse(inAnswer);
  CHECK(parsed.status == ParseStatus::Ok);
  CHECK_FALSE(parsed.hasOpt);
}

TEST_CASE("wire: the COOKIE option's place and length are found among the OPT's options")
{
  std::string options = "\x00\x03\x00\x00"s + "\x00\x0a\x00\x08"s + "ABCDEFGH";
  std::string opt = "\x00\x00\x29\x04\xd0\x00\x00\x00\x00\x00"s + static_cast<char>(options.size()) + options;
  auto bytes = packet(kHeaderOpt, std::string(kQuestion) + opt);
  auto parsed = parse(bytes);
  REQUIRE(parsed.status == ParseStatus::Ok);
  CHECK(parsed.cookieLength == 8);
  CHECK(bytes[parsed.cookieOffset] == 'A');
  auto twice = parse(packet(kHeaderOpt,
      std::string(kQuestion) + "\x00\x00\x29\x04\xd0\x00\x00\x00\x00\x00\x18"s + options.substr(4)
          + options.substr(4)));
  CHECK(twice.cookieLength == 1); // two cookies: malformed, for query/ to answer FORMERR
  CHECK(parse(packet(kHeaderOpt, std::string(kQuestion) + std::string(kOpt))).cookieLength == 0);
  CHECK(parse(packet(kHeader, kQuestion)).cookieLength == 0);
}

TEST_CASE("wire: short packets and responses are dropped, other opcodes are NOTIMP")
{
  CHECK(parse(std::vector<std::uint8_t>(11)).status == ParseStatus::Drop);
  auto response = packet(kHeader, kQuestion);
  response[2] |= 0x80;
  CHECK(parse(response).status == ParseStatus::Drop);
  auto notify = packet(kHeader, kQuestion);
  notify[2] = 4 << 3;
  auto parsed = parse(notify);
  CHECK(parsed.status == ParseStatus::NotImp);
  CHECK(parsed.opcode == 4);
}

TEST_CASE("wire: malformed questions are FORMERR")
{
  CHECK(parse(packet("\x12\x34\x01\x00\x00\x02\x00\x00\x00\x00\x00\x00"sv, kQuestion)).status
      == ParseStatus::FormErr);
  CHECK(parse(packet(kHeader, kQuestion.substr(0, 5))).status == ParseStatus::FormErr);
  CHECK(parse(packet(kHeader, kQuestion.substr(0, kQuestion.size() - 1))).status == ParseStatus::FormErr);
  CHECK(parse(packet(kHeader, "\x01x\xc0\x0c\x00\x01\x00\x01"sv)).status == ParseStatus::FormErr);
  CHECK(parse(packet(kHeader, "\x40xxxx"sv)).status == ParseStatus::FormErr);
  std::string tooLong;
  for (int i = 0; i < 4; ++i)
    tooLong += '\x3f' + std::string(63, 'a');
  CHECK(parse(packet(kHeader, tooLong + std::string("\0\0\1\0\1", 5))).status == ParseStatus::FormErr);
  std::string longest; // 3 x 64 + 62 + 1 = 255 bytes: allowed
  for (int i = 0; i < 3; ++i)
    longest += '\x3f' + std::string(63, 'a');
  longest += '\x3d' + std::string(61, 'a');
  auto parsed = parse(packet(kHeader, longest + std::string("\0\0\1\0\1", 5)));
  CHECK(parsed.status == ParseStatus::Ok);
  CHECK(parsed.qnameLength == 255);
}

TEST_CASE("wire: trailing junk after the question is ignored")
{
  auto parsed = parse(
      packet("\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x03"sv, std::string(kQuestion) + "\xff\xff"));
  CHECK(parsed.status == ParseStatus::Ok);
}

TEST_CASE("wire: the writer never writes past its limit and reports what does not fit")
{
  std::vector<std::uint8_t> out(16, 0xee);
  PacketWriter writer(out, 6);
  CHECK(writer.put32(0x01020304));
  CHECK_FALSE(writer.put32(0x05060708));
  CHECK(writer.size() == 4);
  CHECK(writer.put16(0x0506));
  CHECK_FALSE(writer.put8(7));
  CHECK(out[6] == 0xee);
  PacketWriter rr(out, 16);
  std::size_t rdlength = rr.beginRr(12, 1, 1, 300);
  REQUIRE(rdlength == 10);
  CHECK(rr.putBytes("\x7f\0\0\2", 4));
  rr.endRdata(rdlength);
  auto written = writtenRrAt(out.data(), 0);
  CHECK(written.type == 1);
  CHECK(written.rdlength == 4);
  CHECK(out[0] == 0xc0);
  CHECK(out[1] == 12);
}
