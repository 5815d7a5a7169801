#include "shun/xfr/xfr.hpp"
#include "support/ldns.hpp"
#include "zone/zone_test_util.hpp"

#include <arpa/inet.h>
#include <catch2/catch.hpp>
#include <ctime>
#include <netinet/in.h>
#include <sys/stat.h>
#include <thread>

using namespace zonetest;
using shun::xfr::Service;
using shun::xfr::Settings;
using shun::xfr::Transfer;

namespace {

constexpr const char* kSecret = "c2h1bi10ZXN0LWtleS1zaHVuLXRlc3Qta2V5LXNodW4tdGVzdA==";
constexpr const char* kZone
    = "$SOA 3600 ns1.bl.example. hostmaster.bl.example. 42 600 300 86400 300\n:3:listed $\n"
      "10.1.0.0/23\n192.0.2.1\n";

// A secret file as shund(8) asks for it: readable only by its owner.
std::string secretFile(const TempDir& dir, const std::string& name, const std::string& content)
{
  std::string path = dir.write(name, content);
  ::chmod(path.c_str(), 0600);
  return path;
}

using Packet = std::unique_ptr<ldns_pkt, decltype(&ldns_pkt_free)>;

Packet packetOf(const std::vector<std::uint8_t>& wire)
{
  ldns_pkt* raw = nullptr;
  REQUIRE(ldns_wire2pkt(&raw, wire.data(), wire.size()) == LDNS_STATUS_OK);
  return Packet(raw, &ldns_pkt_free);
}

std::vector<std::uint8_t> wireOf(const ldns_pkt* packet)
{
  std::uint8_t* wire = nullptr;
  std::size_t size = 0;
  REQUIRE(ldns_pkt2wire(&wire, packet, &size) == LDNS_STATUS_OK);
  std::vector<std::uint8_t> out(wire, wire + size);
  free(wire);
  return out;
}

// An AXFR request for bl.example, signed with key/secret when key is not empty.
std::vector<std::uint8_t> request(const char* key = "", const char* secret = kSecret)
{
  ldns_pkt* raw = nullptr;
  REQUIRE(ldns_pkt_query_new_frm_str(&raw, "bl.example.", LDNS_RR_TYPE_AXFR, LDNS_RR_CLASS_IN, 0)
      == LDNS_STATUS_OK);
  Packet packet(raw, &ldns_pkt_free);
  ldns_pkt_set_id(packet.get(), 77);
  if (*key)
    REQUIRE(ldns_pkt_tsig_sign(packet.get(), key, secret, 300, "hmac-sha256.", nullptr) == LDNS_STATUS_OK);
  return wireOf(packet.get());
}

struct Fixture {
  TempDir dir;
  shun::zone::LoadResult loaded = loadOne(dir, "ip4set", kZone);
  std::string keyFile = secretFile(dir, "key", std::string(kSecret) + "\n");
  Service service { [this] {
                     Settings settings;
                     settings.allow = { "127.0.0.1" };
                     settings.keys = { "xfr-key hmac-sha256 " + keyFile };
                     return settings;
                   }(),
    [](const std::string&) {} };

  shun::xfr::Begin begin(const std::vector<std::uint8_t>& query, std::int64_t now = std::time(nullptr))
  {
    sockaddr_in peer {};
    peer.sin_family = AF_INET;
    inet_pton(AF_INET, "127.0.0.1", &peer.sin_addr);
    return service.begin(query, reinterpret_cast<const sockaddr*>(&peer), loaded.snapshot, now);
  }
};

// The TSIG error of an answer (RFC 8945), or -1 without a TSIG.
int tsigError(const std::vector<std::uint8_t>& reply)
{
  auto packet = packetOf(reply);
  const ldns_rr* tsig = ldns_pkt_tsig(packet.get());
  if (!tsig)
    return -1;
  const ldns_rdf* error = ldns_rr_rdf(tsig, 5);
  return ldns_rdf_data(error)[0] << 8 | ldns_rdf_data(error)[1];
}

// The signed request with its MAC cut to length bytes (the RDLENGTH and MAC size fixed).
std::vector<std::uint8_t> truncatedMac(std::vector<std::uint8_t> wire, std::size_t length)
{
  std::size_t macEnd = wire.size() - 6, macStart = macEnd - 32;
  wire.erase(wire.begin() + static_cast<long>(macStart + length), wire.begin() + static_cast<long>(macEnd));
  wire[macStart - 2] = 0;
  wire[macStart - 1] = static_cast<std::uint8_t>(length);
  std::size_t rdlength = 13 + 6 + 2 + 2 + length + 6;
  std::size_t at = wire.size() - rdlength - 2;
  wire[at] = static_cast<std::uint8_t>(rdlength >> 8);
  wire[at + 1] = static_cast<std::uint8_t>(rdlength);
  return wire;
}

} // namespace

TEST_CASE("tsig: a signed AXFR is answered with every message signed, each verifying after the last")
{
  Fixture fixture;
  auto query = request("xfr-key.");
  auto begin = fixture.begin(query);
  REQUIRE(begin.transfer);
  auto queryPacket = packetOf(query);
  ldns_rdf* mac = ldns_rdf_clone(ldns_rr_rdf(ldns_pkt_tsig(queryPacket.get()), 3));
  std::vector<std::uint8_t> message;
  int messages = 0;
  for (;;) {
    auto step = begin.transfer->next(message);
    if (step == Transfer::Step::Done)
      break;
    if (step == Transfer::Step::Wait) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      continue;
    }
    auto packet = packetOf(message);
    REQUIRE(ldns_pkt_tsig(packet.get()));
    CHECK(ldns_pkt_tsig_verify_next(
        packet.get(), message.data(), message.size(), "xfr-key.", kSecret, mac, messages == 0 ? 0 : 1));
    ldns_rdf_deep_free(mac);
    mac = ldns_rdf_clone(ldns_rr_rdf(ldns_pkt_tsig(packet.get()), 3));
    ++messages;
  }
  ldns_rdf_deep_free(mac);
  CHECK(messages >= 1);
}

TEST_CASE("tsig: unsigned is REFUSED; unknown key BADKEY, wrong secret BADSIG, old time BADTIME, all NOTAUTH")
{
  Fixture fixture;
  auto unsignedReply = fixture.begin(request()).reply;
  CHECK((unsignedReply[3] & 15) == 5);
  auto unknown = fixture.begin(request("other-key.")).reply;
  CHECK((unknown[3] & 15) == 9);
  CHECK(tsigError(unknown) == 17);
  auto wrongSecret
      = fixture.begin(request("xfr-key.", "d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldC13cm9uZy1zZWNyZXQ=")).reply;
  CHECK((wrongSecret[3] & 15) == 9);
  CHECK(tsigError(wrongSecret) == 16);
  auto late = fixture.begin(request("xfr-key."), std::time(nullptr) + 1000).reply;
  CHECK((late[3] & 15) == 9);
  CHECK(tsigError(late) == 18);
  CHECK(fixture.service.counters().tsigErrors == 3);
  CHECK(fixture.service.counters().tsigMissing == 1);
}

TEST_CASE("tsig: a MAC cut below half its length is FORMERR, one cut less BADTRUNC")
{
  Fixture fixture;
  auto signedQuery = request("xfr-key.");
  CHECK((fixture.begin(truncatedMac(signedQuery, 8)).reply[3] & 15) == 1);
  auto cut = fixture.begin(truncatedMac(signedQuery, 20)).reply;
  CHECK((cut[3] & 15) == 9);
  CHECK(tsigError(cut) == 22);
}

TEST_CASE("tsig: a key whose secret file is missing or not base64 stops the start")
{
  TempDir dir;
  Settings settings;
  settings.keys = { "k hmac-sha256 " + dir.path() + "/none" };
  CHECK_THROWS_AS(Service(settings, [](const std::string&) {}), std::invalid_argument);
  settings.keys = { "k hmac-md5 " + secretFile(dir, "k", std::string(kSecret) + "\n") };
  CHECK_THROWS_AS(Service(settings, [](const std::string&) {}), std::invalid_argument);
  settings.keys = { "k hmac-sha256 " + secretFile(dir, "bad", "!!!not base64!!!\n") };
  CHECK_THROWS_WITH(Service(settings, [](const std::string&) {}), Catch::Contains("not base64"));
}

TEST_CASE("tsig: a key's words may be apart by several blanks or tabs and its algorithm upper-case")
{
  TempDir dir;
  Settings settings;
  settings.allow = { "127.0.0.1" };
  settings.keys = { "XFR-Key \t HMAC-SHA256  " + secretFile(dir, "k", std::string(kSecret) + "\n") };
  Service service(settings, [](const std::string&) {});
  auto loaded = loadOne(dir, "ip4set", kZone);
  sockaddr_in peer {};
  peer.sin_family = AF_INET;
  inet_pton(AF_INET, "127.0.0.1", &peer.sin_addr);
  auto begin = service.begin(
      request("xfr-key."), reinterpret_cast<const sockaddr*>(&peer), loaded.snapshot, std::time(nullptr));
  CHECK(begin.transfer);
}

TEST_CASE("tsig: a secret file its group or others may read stops the start")
{
  TempDir dir;
  Settings settings;
  std::string path = secretFile(dir, "k", std::string(kSecret) + "\n");
  settings.keys = { "k hmac-sha256 " + path };
  CHECK_NOTHROW(Service(settings, [](const std::string&) {}));
  for (mode_t mode : { 0640, 0604, 0620 }) {
    ::chmod(path.c_str(), mode);
    CHECK_THROWS_WITH(Service(settings, [](const std::string&) {}), Catch::Contains("chmod 600"));
  }
}
