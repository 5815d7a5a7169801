#include "shun/store/snapshot.hpp"

#include <catch2/catch.hpp>

using namespace shun::store;
using namespace std::literals;

namespace {

// A wire name from a string literal that contains '\0' bytes.
template <std::size_t N> std::string wire(const char (&literal)[N])
{
  return std::string(literal, N - 1);
}

} // namespace

TEST_CASE("snapshot: the most specific zone on a label boundary serves a name")
{
  Snapshot snapshot;
  snapshot.zones.resize(2);
  snapshot.zones[0].name = wire("\3sub\2bl\7example\0");
  snapshot.zones[1].name = wire("\2bl\7example\0");
  auto find = [&](std::string_view name) { return snapshot.findZone(name); };
  CHECK(find(wire("\0012\0010\0010\003127\2bl\7example\0")) == &snapshot.zones[1]);
  CHECK(find(wire("\1x\3sub\2bl\7example\0")) == &snapshot.zones[0]);
  CHECK(find(wire("\2bl\7example\0")) == &snapshot.zones[1]);
  CHECK(find(wire("\3xbl\7example\0")) == nullptr); // not on a label boundary
  CHECK(find(wire("\7example\0")) == nullptr);
}

TEST_CASE("snapshot: the zone suffix of a name is found on label boundaries, in any case")
{
  constexpr auto zone = "\x02"
                        "bl\x07"
                        "example\x00"sv;
  CHECK(zoneSuffixStart("\x03ns1\x02"
                        "BL\x07"
                        "Example\x00"sv,
            zone)
      == 4);
  CHECK(zoneSuffixStart(zone, zone) == 0);
  CHECK(zoneSuffixStart("\x03"
                        "xbl\x07"
                        "example\x00"sv,
            zone)
      == std::string_view::npos); // "xbl" is not "bl"
  CHECK(zoneSuffixStart("\x07"
                        "example\x00"sv,
            zone)
      == std::string_view::npos);
  CHECK(zoneSuffixStart("\x03ns1\x03net\x00"sv, zone) == std::string_view::npos);
  CHECK(zoneSuffixStart("\x03ns1\x00"sv, "\x00"sv) == std::string_view::npos); // never point at the root
}

TEST_CASE("snapshot: index compresses SOA and NS names against their zone, in order")
{
  Snapshot snapshot;
  Zone& zone = snapshot.zones.emplace_back();
  zone.name = wire("\x02"
                   "bl\x07"
                   "example\x00");
  SoaData soa;
  soa.mname = wire("\x03ns1\x02"
                   "BL\x07"
                   "example\x00");
  soa.rname = wire("\x04host\x03net\x00");
  zone.soa = soa;
  NsData ns;
  ns.names = { wire("\x02"
                    "bl\x07"
                    "example\x00") };
  zone.ns = ns;
  snapshot.index();
  REQUIRE(zone.apexNames.size() == 3);
  CHECK(zone.apexNames[0].own == 4);
  CHECK(zone.apexNames[0].pointer);
  CHECK(zone.apexNames[0].size() == 6);
  CHECK(zone.apexNames[1].own == 10);
  CHECK_FALSE(zone.apexNames[1].pointer);
  CHECK(zone.apexNames[2].own == 0);
  CHECK(zone.apexNames[2].size() == 2);
  zone.soa.reset();
  snapshot.index();
  CHECK(zone.apexNames.size() == 1);
}

TEST_CASE("snapshot: index tells which zones have another served zone below them")
{
  Snapshot snapshot;
  snapshot.zones.resize(4);
  snapshot.zones[0].name = wire("\x01"
                                "4\x02"
                                "bl\x07"
                                "example\x00");
  snapshot.zones[1].name = wire("\x03xbl\x07"
                                "example\x00");
  snapshot.zones[2].name = wire("\x02"
                                "bl\x07"
                                "example\x00");
  snapshot.zones[3].name = wire("\x03org\x00");
  CHECK(snapshot.zones[3].hasZoneBelow); // the safe default before index()
  snapshot.index();
  CHECK_FALSE(snapshot.zones[0].hasZoneBelow);
  CHECK_FALSE(snapshot.zones[1].hasZoneBelow); // "xbl.example" is not below "bl.example"
  CHECK(snapshot.zones[2].hasZoneBelow);
  CHECK_FALSE(snapshot.zones[3].hasZoneBelow);
}
