#include "shun/store/name_set.hpp"

#include <catch2/catch.hpp>

using namespace shun::store;

namespace {

WireName wire(std::string_view dotted)
{
  WireName out;
  while (!dotted.empty()) {
    auto dot = dotted.find('.');
    auto label = dotted.substr(0, dot);
    out.push_back(static_cast<char>(label.size()));
    out.append(label);
    dotted = dot == std::string_view::npos ? std::string_view {} : dotted.substr(dot + 1);
  }
  return out;
}

struct Fixture {
  ValueSets sets;
  NameSetBuilder builder;
  NameSet set;
  void add(std::string_view name, NameMatch match, ValueId value, bool exclusion = false)
  {
    builder.add(wire(name), match, value, exclusion);
  }
  bool listed(std::string_view name) const { return set.find(wire(name)).payload != NameSet::kNoPayloadName; }
};

} // namespace

TEST_CASE("dnset: exact names and wildcards match as rbldnsd documents")
{
  Fixture f;
  f.add("example.com", NameMatch::Exact, 1);
  f.add("wild.com", NameMatch::Subdomains, 2);
  f.add("sub.wild.com", NameMatch::Subdomains, 0, true);
  f.add("both.org", NameMatch::Exact, 3);
  f.add("both.org", NameMatch::Subdomains, 3);
  f.add("bad.both.org", NameMatch::Exact, 0, true);
  f.set = f.builder.build(f.sets);

  CHECK(f.listed("example.com"));
  CHECK(f.listed("EXAMPLE.com"));
  CHECK_FALSE(f.listed("www.example.com"));
  CHECK_FALSE(f.listed("wild.com"));
  CHECK(f.listed("a.wild.com"));
  CHECK(f.listed("sub.wild.com"));
  CHECK_FALSE(f.listed("x.sub.wild.com"));
  CHECK(f.listed("both.org"));
  CHECK_FALSE(f.listed("bad.both.org"));
  CHECK(f.listed("x.bad.both.org"));
}

TEST_CASE("dnset: the matched entry is reported for the TXT template")
{
  Fixture f;
  f.add("wild.com", NameMatch::Subdomains, 1);
  f.set = f.builder.build(f.sets);
  auto hit = f.set.find(wire("a.b.wild.com"));
  CHECK(hit.listedName == wire("wild.com"));
}

TEST_CASE("dnset: repeated names answer every value; an exclusion wins")
{
  Fixture f;
  f.add("multi.net", NameMatch::Exact, 1);
  f.add("multi.net", NameMatch::Exact, 2);
  f.add("gone.net", NameMatch::Exact, 1);
  f.add("gone.net", NameMatch::Exact, 0, true);
  f.set = f.builder.build(f.sets);
  auto values = f.sets.set(f.set.find(wire("multi.net")).payload);
  CHECK(std::vector<ValueId>(values.begin(), values.end()) == std::vector<ValueId> { 1, 2 });
  CHECK_FALSE(f.listed("gone.net"));
}

TEST_CASE("dnset: ancestors of listed names are empty non-terminals")
{
  Fixture f;
  f.add("www.example.com", NameMatch::Exact, 1);
  f.add("wild.org", NameMatch::Subdomains, 1);
  f.add("hidden.net", NameMatch::Exact, 0, true);
  f.set = f.builder.build(f.sets);
  CHECK(f.set.hasDescendant(wire("com")));
  CHECK(f.set.hasDescendant(wire("example.com")));
  CHECK_FALSE(f.set.hasDescendant(wire("www.example.com")));
  CHECK(f.set.hasDescendant(wire("wild.org")));
  CHECK_FALSE(f.set.hasDescendant(wire("net")));
  CHECK_FALSE(f.set.hasDescendant(wire("example.org")));
}

TEST_CASE("dnset: with many names every one is found by its shape, and the listed name is its own")
{
  Fixture f;
  for (int i = 0; i < 20000; ++i) {
    f.add("host" + std::to_string(i) + ".example", NameMatch::Exact, 1);
    f.add("zone" + std::to_string(i) + ".example", NameMatch::Subdomains, 2);
  }
  f.set = f.builder.build(f.sets);
  for (int i = 0; i < 20000; i += 97) {
    std::string host = "host" + std::to_string(i) + ".example";
    auto hit = f.set.find(wire(host));
    REQUIRE(hit.payload != NameSet::kNoPayloadName);
    CHECK(hit.listedName == wire(host));
    CHECK(f.listed("a.zone" + std::to_string(i) + ".example"));
    CHECK_FALSE(f.listed("zone" + std::to_string(i) + ".example")); // *.name lists only what is below
    CHECK_FALSE(f.listed("a.host" + std::to_string(i) + ".example"));
  }
  CHECK_FALSE(f.listed("host20000.example"));
}
