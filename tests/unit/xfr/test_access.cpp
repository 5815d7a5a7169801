#include "shun/xfr/xfr.hpp"
#include "support/ldns.hpp"
#include "xfr/access.hpp"
#include "zone/zone_test_util.hpp"

#include <arpa/inet.h>
#include <catch2/catch.hpp>
#include <ctime>
#include <netinet/in.h>
#include <sys/stat.h>

using namespace zonetest;
using shun::xfr::Service;
using shun::xfr::Settings;

namespace {

constexpr const char* kSecretA = "a2V5LWEta2V5LWEta2V5LWEta2V5LWEta2V5LWEta2V5LWE=";
constexpr const char* kSecretS = "c2VydmVyLWtleS1zZXJ2ZXIta2V5LXNlcnZlci1rZXktcw==";

using Packet = std::unique_ptr<ldns_pkt, decltype(&ldns_pkt_free)>;

// An AXFR request for zone, signed with key and secret unless key is empty.
std::vector<std::uint8_t> request(const char* zone, const char* key = "", const char* secret = "")
{
  ldns_pkt* raw = nullptr;
  REQUIRE(ldns_pkt_query_new_frm_str(&raw, zone, LDNS_RR_TYPE_AXFR, LDNS_RR_CLASS_IN, 0) == LDNS_STATUS_OK);
  Packet packet(raw, &ldns_pkt_free);
  if (*key)
    REQUIRE(ldns_pkt_tsig_sign(packet.get(), key, secret, 300, "hmac-sha256.", nullptr) == LDNS_STATUS_OK);
  std::uint8_t* wire = nullptr;
  std::size_t size = 0;
  REQUIRE(ldns_pkt2wire(&wire, packet.get(), &size) == LDNS_STATUS_OK);
  std::vector<std::uint8_t> out(wire, wire + size);
  free(wire);
  return out;
}

// Two zones, a.example and b.example, each an ip4set of its own.
struct TwoZones {
  TempDir dir;
  shun::zone::LoadResult loaded
      = shun::zone::loadSnapshot({ shun::zone::parseZoneSpec("a.example:ip4set:" + zoneFile("a")),
                                     shun::zone::parseZoneSpec("b.example:ip4set:" + zoneFile("b")) },
          {});

  std::string zoneFile(const std::string& name)
  {
    return dir.write(name,
        "$SOA 3600 ns." + name + ".example. h." + name
            + ".example. 1 600 300 86400 300\n:2:listed\n192.0.2.1\n");
  }
  std::string secretFile(const std::string& name, const char* secret) const
  {
    std::string path = dir.write(name, std::string(secret) + "\n");
    ::chmod(path.c_str(), 0600);
    return path;
  }
  // The rcode of service's answer to query from address: 0 when a transfer starts.
  int rcode(Service& service, const std::vector<std::uint8_t>& query, const char* address = "127.0.0.1")
  {
    sockaddr_in peer {};
    peer.sin_family = AF_INET;
    inet_pton(AF_INET, address, &peer.sin_addr);
    auto begin
        = service.begin(query, reinterpret_cast<const sockaddr*>(&peer), loaded.snapshot, std::time(nullptr));
    return begin.transfer ? 0 : begin.reply[3] & 15;
  }
};

} // namespace

TEST_CASE("xfr access: a key of zone A is refused (BADKEY) for zone B, which takes the server-wide key")
{
  TwoZones zones;
  Settings settings;
  settings.allow = { "127.0.0.0/8" };
  settings.keys = { "key-s hmac-sha256 " + zones.secretFile("s", kSecretS) };
  settings.zones["a.example"].keys = { "key-a hmac-sha256 " + zones.secretFile("a.key", kSecretA) };
  Service service(settings, [](const std::string&) {});
  CHECK(zones.rcode(service, request("a.example.", "key-a.", kSecretA)) == 0);
  CHECK(zones.rcode(service, request("b.example.", "key-a.", kSecretA)) == 9);
  CHECK(zones.rcode(service, request("b.example.", "key-s.", kSecretS)) == 0);
  CHECK(zones.rcode(service, request("a.example.", "key-s.", kSecretS)) == 9);
  CHECK(zones.rcode(service, request("a.example.")) == 5);
  CHECK(zones.rcode(service, request("b.example.")) == 5);
  CHECK(service.counters().tsigErrors == 2);
}

TEST_CASE("xfr access: a range of zone A only: zone B refuses it and keeps the server-wide ranges")
{
  TwoZones zones;
  Settings settings;
  settings.allow = { "127.0.0.1" };
  settings.zones["a.example"].allow = { "192.0.2.0/24" };
  Service service(settings, [](const std::string&) {});
  CHECK(zones.rcode(service, request("a.example."), "192.0.2.5") == 0);
  CHECK(zones.rcode(service, request("b.example."), "192.0.2.5") == 5);
  CHECK(zones.rcode(service, request("a.example."), "127.0.0.1") == 5);
  CHECK(zones.rcode(service, request("b.example."), "127.0.0.1") == 0);
}

TEST_CASE("xfr access: a zone with a key of its own needs it even where no server-wide key is set")
{
  TwoZones zones;
  Settings settings;
  settings.allow = { "127.0.0.0/8" };
  settings.zones["a.example"].keys = { "key-a hmac-sha256 " + zones.secretFile("a.key", kSecretA) };
  Service service(settings, [](const std::string&) {});
  CHECK(zones.rcode(service, request("a.example.")) == 5);
  CHECK(zones.rcode(service, request("b.example.")) == 0);
  CHECK(zones.rcode(service, request("b.example.", "key-a.", kSecretA)) == 9);
}

TEST_CASE("xfr access: the rules above a name are its closest zone's with rules of its own")
{
  TwoZones zones;
  Settings settings;
  settings.allow = { "127.0.0.1" };
  settings.zones["a.example"].allow = { "192.0.2.0/24" };
  shun::xfr::Access access(settings);
  using shun::xfr::wireZoneName;
  CHECK(wireZoneName("A.example.") == std::string("\1a\7example\0", 11));
  CHECK(&access.rulesAbove(wireZoneName("x.y.a.example")) == &access.rules(wireZoneName("a.example")));
  CHECK(&access.rulesAbove(wireZoneName("b.example")) == &access.rules(wireZoneName("b.example")));
  CHECK(access.rules(wireZoneName("a.example")).allow.size() == 1);
  CHECK_FALSE(access.anyKeys());
  CHECK_THROWS_AS(wireZoneName("a..example"), std::invalid_argument);
}
