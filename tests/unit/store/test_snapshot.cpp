#include "shun/store/snapshot.hpp"

#include <catch2/catch.hpp>

using namespace shun::store;

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
