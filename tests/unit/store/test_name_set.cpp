#include "shun/store/name_set.hpp"
#include "store/name_set_format.hpp"
#include "wire_name.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <random>
#include <set>

using namespace shun::store;

namespace {

using shuntest::wireName;

struct Fixture {
  ValueSets sets;
  NameSetBuilder builder;
  NameSet set;
  void add(std::string_view name, NameMatch match, ValueId value, bool exclusion = false)
  {
    builder.add(wireName(name), match, value, exclusion);
  }
  bool listed(std::string_view name) const
  {
    return set.find(wireName(name)).payload != NameSet::kNoPayloadName;
  }
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
  WireName query = wireName("a.b.wild.com");
  auto hit = f.set.find(query);
  CHECK(hit.listedName == wireName("wild.com"));
}

TEST_CASE("dnset: repeated names answer every value; an exclusion wins")
{
  Fixture f;
  f.add("multi.net", NameMatch::Exact, 1);
  f.add("multi.net", NameMatch::Exact, 2);
  f.add("gone.net", NameMatch::Exact, 1);
  f.add("gone.net", NameMatch::Exact, 0, true);
  f.set = f.builder.build(f.sets);
  auto values = f.sets.set(f.set.find(wireName("multi.net")).payload);
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
  CHECK(f.set.hasDescendant(wireName("com")));
  CHECK(f.set.hasDescendant(wireName("example.com")));
  CHECK_FALSE(f.set.hasDescendant(wireName("www.example.com")));
  CHECK(f.set.hasDescendant(wireName("wild.org")));
  CHECK_FALSE(f.set.hasDescendant(wireName("net")));
  CHECK_FALSE(f.set.hasDescendant(wireName("example.org")));
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
    WireName query = wireName(host);
    auto hit = f.set.find(query);
    REQUIRE(hit.payload != NameSet::kNoPayloadName);
    CHECK(hit.listedName == wireName(host));
    CHECK(f.listed("a.zone" + std::to_string(i) + ".example"));
    CHECK_FALSE(f.listed("zone" + std::to_string(i) + ".example")); // *.name lists only what is below
    CHECK_FALSE(f.listed("a.host" + std::to_string(i) + ".example"));
  }
  CHECK_FALSE(f.listed("host20000.example"));
}

TEST_CASE("dnset: an exact entry wins over a wildcard above it, an excluded one too")
{
  Fixture f;
  f.add("wild.com", NameMatch::Subdomains, 1);
  f.add("exact.wild.com", NameMatch::Exact, 2);
  f.add("out.wild.com", NameMatch::Exact, 0, true);
  f.add("deeper.exact.wild.com", NameMatch::Subdomains, 3);
  f.set = f.builder.build(f.sets);
  auto first = [&](std::string_view name) { return f.sets.set(f.set.find(wireName(name)).payload)[0]; };
  CHECK(first("exact.wild.com") == 2);
  CHECK(first("x.exact.wild.com") == 1);
  CHECK(first("y.x.deeper.exact.wild.com") == 3);
  CHECK_FALSE(f.listed("out.wild.com"));
  CHECK(f.listed("a.out.wild.com")); // an exact exclusion leaves what is below it to the wildcard
}

TEST_CASE("dnset: the closest wildcard above a name is found blocks before it, up to the zone apex")
{
  Fixture f;
  f.add("", NameMatch::Subdomains, 1); // "*" at the apex: every name of the zone
  f.add("far.com", NameMatch::Subdomains, 2);
  f.add("near.far.com", NameMatch::Subdomains, 3);
  for (int i = 0; i < 100; ++i) // blocks of names between the wildcards and the names below them
    f.add("h" + std::to_string(i) + ".near.far.com", NameMatch::Exact, 4);
  f.set = f.builder.build(f.sets);
  auto first = [&](std::string_view name) { return f.sets.set(f.set.find(wireName(name)).payload)[0]; };
  CHECK(first("zzz.near.far.com") == 3);
  WireName below = wireName("zzz.near.far.com"); // listedName is a view into the name looked up
  CHECK(f.set.find(below).listedName == wireName("near.far.com"));
  CHECK(first("zzz.h7.near.far.com") == 3);
  CHECK(first("zzz.far.com") == 2);
  CHECK(first("zzz.org") == 1);
  WireName outside = wireName("zzz.org");
  CHECK(f.set.find(outside).listedName.empty());
  CHECK(first("h50.near.far.com") == 4);
  CHECK_FALSE(f.listed("")); // the apex itself is not below its wildcard
}

TEST_CASE("dnset: upper-case entries and queries match lower-case ones")
{
  Fixture f;
  f.add("MiXeD.Example.COM", NameMatch::Exact, 1);
  f.add("WILD.org", NameMatch::Subdomains, 1);
  f.set = f.builder.build(f.sets);
  CHECK(f.listed("mixed.example.com"));
  CHECK(f.listed("MIXED.EXAMPLE.COM"));
  CHECK(f.listed("A.wild.ORG"));
  size_t visited = 0;
  f.set.forEach([&](std::string_view name, NameMatch, bool, std::uint32_t) {
    CHECK((name == wireName("mixed.example.com") || name == wireName("wild.org")));
    ++visited;
  });
  CHECK(visited == 2);
}

TEST_CASE("dnset: names of 127 labels and of 255 bytes are stored and found; xn-- labels are plain labels")
{
  Fixture f;
  std::string deep;
  for (int i = 0; i < 126; ++i)
    deep += "a.";
  deep += "b"; // 127 labels: 255 bytes in wire form with the root label
  std::string longName = std::string(63, 'b') + "." + std::string(63, 'c') + "." + std::string(63, 'd') + "."
      + std::string(61, 'e'); // 254 bytes in wire form without the root label
  f.add(deep, NameMatch::Exact, 1);
  f.add(longName, NameMatch::Exact, 1);
  f.add("xn--bcher-kva.example", NameMatch::Subdomains, 1);
  f.set = f.builder.build(f.sets);
  CHECK(wireName(deep).size() == 254);
  CHECK(f.listed(deep));
  CHECK(f.listed(longName));
  CHECK_FALSE(f.listed(deep.substr(2)));
  CHECK(f.listed("www.xn--bcher-kva.example"));
  CHECK_FALSE(f.listed("www.xn--bcher-kvb.example"));
  CHECK(f.set.hasDescendant(wireName(deep.substr(2))));
}

TEST_CASE("dnset: a name and its wildcard added together count as two entries and dump as two")
{
  Fixture f;
  f.add("both.net", NameMatch::Exact, 4);
  f.add("both.net", NameMatch::Subdomains, 4);
  f.add("both.net", NameMatch::Exact, 4); // a duplicate line
  f.set = f.builder.build(f.sets);
  CHECK(f.set.size() == 2);
  std::vector<std::pair<NameMatch, std::size_t>> seen;
  f.set.forEach([&](std::string_view, NameMatch match, bool exclusion, std::uint32_t payload) {
    CHECK_FALSE(exclusion);
    seen.emplace_back(match, f.sets.set(payload).size());
  });
  CHECK(seen
      == std::vector<std::pair<NameMatch, std::size_t>> {
          { NameMatch::Exact, 1 }, { NameMatch::Subdomains, 1 } });
}

TEST_CASE(
    "dnset: keys stored without their final zero byte come back whole: apex, repeats, one-letter labels")
{
  // Blocks and the builder's runs leave out each key's final '\0'; the apex's empty key writes no bytes.
  Fixture f;
  std::vector<std::string> names = { "", "a", "a.a", "b.a", "a.b.a", "ab", "a-b.ab", "x.y.z" };
  for (int repeat = 0; repeat < 3; ++repeat) // repeats: equal keys side by side in a run
    for (const std::string& name : names)
      f.add(name, repeat == 1 ? NameMatch::Subdomains : NameMatch::Exact, 1);
  f.set = f.builder.build(f.sets);
  CHECK(f.set.size() == 2 * names.size());
  std::set<WireName> dumped;
  f.set.forEach([&](std::string_view name, NameMatch, bool, std::uint32_t) { dumped.emplace(name); });
  std::set<WireName> expected;
  for (const std::string& name : names)
    expected.insert(wireName(name));
  CHECK(dumped == expected);
  for (const std::string& name : names) {
    INFO(name);
    WireName listed = wireName(name), below = wireName(name.empty() ? "q" : "q." + name);
    auto hit = f.set.find(listed); // listedName is a view into the name given to find
    REQUIRE(hit.payload != NameSet::kNoPayloadName);
    CHECK(hit.listedName == listed);
    CHECK(f.set.find(below).listedName == listed);
  }
  CHECK(f.set.hasDescendant(wireName("a")));
  CHECK(f.set.hasDescendant(wireName("z")));
  CHECK_FALSE(f.set.hasDescendant(wireName("c")));
  CHECK_FALSE(f.set.hasDescendant(wireName("b")));
}

TEST_CASE("dnset: erasing entries forgets them and keeps the others")
{
  Fixture f;
  f.add("keep.com", NameMatch::Exact, 1);
  f.add("drop.com", NameMatch::Exact, 1);
  f.add("drop.com", NameMatch::Subdomains, 1);
  f.builder.eraseIf([&](const WireName& name, NameMatch match) {
    return name == wireName("drop.com") && match == NameMatch::Exact;
  });
  f.add("late.com", NameMatch::Exact, 1);
  f.set = f.builder.build(f.sets);
  CHECK(f.listed("keep.com"));
  CHECK(f.listed("late.com"));
  CHECK_FALSE(f.listed("drop.com"));
  CHECK(f.listed("a.drop.com"));
}

TEST_CASE("dnset: a large random set answers as a plain map of its entries, across runs and blocks")
{
  // More than one sort run (half a MiB of records each) and many blocks; repeated and excluded names.
  std::mt19937 random(7);
  auto label = [&](std::size_t length) {
    std::string text;
    for (std::size_t i = 0; i < length; ++i)
      text.push_back("abcdefghij-0123"[random() % 15]);
    text.front() = 'x';
    return text;
  };
  Fixture f;
  std::map<std::pair<std::string, NameMatch>, std::pair<bool, std::vector<ValueId>>> model;
  std::vector<std::string> names;
  for (int i = 0; i < 120000; ++i) {
    std::string name = i % 10 == 9 && !names.empty()
        ? names[random() % names.size()]
        : label(2 + random() % 8) + "." + label(1 + random() % 3);
    names.push_back(name);
    auto match = random() % 5 == 0 ? NameMatch::Subdomains : NameMatch::Exact;
    bool exclusion = random() % 50 == 0;
    ValueId value = static_cast<ValueId>(random() % 3);
    f.add(name, match, value, exclusion);
    auto& [excluded, values] = model[{ name, match }];
    excluded |= exclusion;
    if (!exclusion && std::find(values.begin(), values.end(), value) == values.end())
      values.push_back(value);
  }
  f.set = f.builder.build(f.sets);
  CHECK(f.set.size() == model.size());
  auto expected = [&](const std::string& name) -> std::pair<bool, std::vector<ValueId>> {
    auto exact = model.find({ name, NameMatch::Exact });
    if (exact != model.end())
      return { !exact->second.first, exact->second.second };
    for (auto dot = name.find('.'); dot != std::string::npos; dot = name.find('.', dot + 1)) {
      auto wildcard = model.find({ name.substr(dot + 1), NameMatch::Subdomains });
      if (wildcard != model.end())
        return { !wildcard->second.first, wildcard->second.second };
    }
    return { false, {} };
  };
  for (int i = 0; i < 20000; ++i) {
    std::string name = names[random() % names.size()];
    if (i % 2)
      name = label(1 + random() % 4) + "." + name;
    auto [listed, values] = expected(name);
    auto hit = f.set.find(wireName(name));
    REQUIRE((hit.payload != NameSet::kNoPayloadName) == listed);
    if (listed) {
      auto got = f.sets.set(hit.payload);
      CHECK(std::vector<ValueId>(got.begin(), got.end()) == values);
    }
  }
  // hasDescendant: a listed exact name strictly below, or a listed wildcard at or below the name.
  std::set<std::string> above;
  for (const auto& [entry, state] : model) {
    if (state.first)
      continue;
    const std::string& name = entry.first;
    if (entry.second == NameMatch::Subdomains)
      above.insert(name);
    for (auto dot = name.find('.'); dot != std::string::npos; dot = name.find('.', dot + 1))
      above.insert(name.substr(dot + 1));
  }
  for (int i = 0; i < 20000; ++i) {
    std::string name = names[random() % names.size()];
    if (i % 3 == 1)
      name = name.substr(name.find('.') + 1);
    else if (i % 3 == 2)
      name = label(1 + random() % 4) + "." + name;
    INFO(name);
    REQUIRE(f.set.hasDescendant(wireName(name)) == above.contains(name));
  }
}

TEST_CASE("dnset: names with bytes outside the host name alphabet are found, and only they")
{
  // The block index packs host name bytes tightly and lets other bytes tie: names that differ only in
  // such bytes, or only after them, must still be told apart.
  std::mt19937 random(3);
  const std::string bytes = std::string("a0-_z\x01\x2e!~") + '\x7f' + '\xff' + '\x60' + '\x3a';
  auto label = [&] {
    std::string text;
    for (std::size_t n = 1 + random() % 12; text.size() < n;)
      text.push_back(bytes[random() % bytes.size()]);
    return text;
  };
  Fixture f;
  std::set<WireName> listed, unlisted;
  for (int i = 0; i < 30000; ++i) {
    WireName name;
    for (std::size_t labels = 1 + random() % 2; labels > 0; --labels) {
      std::string text = label();
      name.push_back(static_cast<char>(text.size()));
      name += text;
    }
    if (i % 3 == 0) {
      unlisted.insert(name);
      continue;
    }
    listed.insert(name);
    f.builder.add(name, NameMatch::Exact, 0, false);
  }
  f.set = f.builder.build(f.sets);
  for (const WireName& name : listed)
    REQUIRE(f.set.find(name).payload != NameSet::kNoPayloadName);
  for (const WireName& name : unlisted)
    if (!listed.contains(name))
      REQUIRE(f.set.find(name).payload == NameSet::kNoPayloadName);
}

TEST_CASE("dnset: a name's values are its own after a block scan steps over records with other values")
{
  // The scan steps over the records before the name without decoding their shapes, but must keep the
  // block's payload register: every record here changes it, and some carry both shapes.
  Fixture f;
  for (ValueId i = 0; i < 40; ++i) {
    std::string name = "n" + std::to_string(100 + i) + ".example";
    f.add(name, NameMatch::Exact, i % 7);
    if (i % 3 == 0)
      f.add(name, NameMatch::Subdomains, 10 + i % 5);
  }
  f.set = f.builder.build(f.sets);
  for (ValueId i = 0; i < 40; ++i) {
    std::string name = "n" + std::to_string(100 + i) + ".example";
    auto exact = f.set.find(wireName(name));
    REQUIRE(exact.payload != NameSet::kNoPayloadName);
    CHECK(f.sets.set(exact.payload)[0] == i % 7);
    auto below = f.set.find(wireName("www." + name));
    if (i % 3 == 0) {
      REQUIRE(below.payload != NameSet::kNoPayloadName);
      CHECK(f.sets.set(below.payload)[0] == 10 + i % 5);
    } else {
      CHECK(below.payload == NameSet::kNoPayloadName);
    }
  }
}

TEST_CASE("dnset: the block index's summary levels find the same block as a binary search")
{
  std::mt19937 random(5);
  for (std::size_t blocks : { 0, 1, 7, 8, 9, 64, 65, 513, 4097, 70000 }) {
    std::vector<std::uint64_t> index(blocks);
    for (auto& entry : index)
      entry = random() % (blocks * 3 + 1); // duplicates, as ties in the index
    std::sort(index.begin(), index.end());
    auto prefixAt = [&index](std::size_t i) { return index[i]; };
    std::vector<std::uint64_t> summary;
    shun::store::detail::buildIndexSummary(blocks, prefixAt, summary);
    for (int probe = 0; probe < 2000; ++probe) {
      std::uint64_t prefix = random() % (blocks * 3 + 3);
      auto expected
          = static_cast<std::size_t>(std::lower_bound(index.begin(), index.end(), prefix) - index.begin());
      REQUIRE(shun::store::detail::indexLowerBound(prefixAt, summary.data(), blocks, prefix) == expected);
    }
  }
}

TEST_CASE("dnset: copyShort copies every length exactly and writes nothing past it")
{
  char from[80];
  for (std::size_t i = 0; i < sizeof from; ++i)
    from[i] = static_cast<char>('a' + i % 26);
  for (std::size_t n = 0; n <= 64; ++n) {
    char to[80];
    std::fill(std::begin(to), std::end(to), '#');
    detail::copyShort(to + 3, from + 1, n);
    INFO("length " << n);
    CHECK(std::string_view(to + 3, n) == std::string_view(from + 1, n));
    CHECK(std::all_of(to, to + 3, [](char c) { return c == '#'; }));
    CHECK(std::all_of(to + 3 + n, std::end(to), [](char c) { return c == '#'; }));
  }
}
