// Change sets applied as an overlay on an immutable base (zone::applyChangeSet) answer exactly as a full
// load of the data file and its whole journal: a property test over random files and random changes.
#include "fixture.hpp"
#include "shun/listing/ip_text.hpp"
#include "shun/listing/journal.hpp"
#include "shun/store/overlay.hpp"
#include "shun/zone/change_set.hpp"
#include "zone/zone_test_util.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <random>
#include <sstream>

using namespace shun;
using listing::JournalRecord;

namespace {

constexpr std::int64_t kNow = 1'800'000'000;
constexpr store::Ip4 kUniverse = 0x0a000000; // 10.0.0.0/22: every address is asked after every batch
constexpr unsigned kUniverseSize = 1024;

std::string dotted(store::Ip4 ip)
{
  return std::to_string(ip >> 24) + "." + std::to_string(ip >> 16 & 255) + "." + std::to_string(ip >> 8 & 255)
      + "." + std::to_string(ip & 255);
}

std::string reversed(store::Ip4 ip)
{
  return std::to_string(ip & 255) + "." + std::to_string(ip >> 8 & 255) + "." + std::to_string(ip >> 16 & 255)
      + "." + std::to_string(ip >> 24);
}

// ip6trie: 2001:db8::/118, every address asked; prefixes from /64 to /128 around it.
const store::Ip6 kUniverse6 = store::Ip6 { 0x20010db8 } << 96;

std::string reversed6(store::Ip6 ip, unsigned nibbles = 32)
{
  std::string out;
  for (unsigned i = 32 - nibbles; i < 32; ++i)
    out += std::string(1, "0123456789abcdef"[static_cast<unsigned>(ip >> (4 * i)) & 15]) + ".";
  return out;
}

struct Random {
  std::mt19937 engine;
  bool rangeHeavy = false; ///< IPv4: half the lines and keys ranges, nested, overlapping and in runs
  unsigned below(unsigned n) { return std::uniform_int_distribution<unsigned>(0, n - 1)(engine); }
  bool chance(unsigned percent) { return below(100) < percent; }
  store::Ip4 address() { return kUniverse + below(kUniverseSize); }
  store::Ip6 address6() { return kUniverse6 + below(kUniverseSize); }
  // A prefix as shunctl spells it: mostly /128 (no length), some /118-/127, rarely a /64 or /112.
  std::string prefix6()
  {
    unsigned roll = below(100);
    unsigned length = roll < 70 ? 128 : roll < 95 ? 118 + below(10) : roll < 98 ? 112 : 64;
    store::Ip6 first = address6();
    if (length < 128)
      first &= ~((store::Ip6 { 1 } << (128 - length)) - 1);
    return listing::formatIp6(first) + (length < 128 ? "/" + std::to_string(length) : "");
  }
};

// dnset names: every name of up to three labels from "a".."e" under "ex" (155 names).
std::vector<std::string> nameUniverse()
{
  std::vector<std::string> names;
  const char* labels[] = { "a", "b", "c", "d", "e" };
  for (const char* one : labels) {
    names.push_back(std::string(one) + ".ex");
    for (const char* two : labels) {
      names.push_back(std::string(two) + "." + one + ".ex");
      for (const char* three : labels)
        names.push_back(std::string(three) + "." + two + "." + one + ".ex");
    }
  }
  return names;
}

// The spelling of a name's key: one per name, as a list keeps it ("x", "*.x", ".x"), and rarely another (a
// name journalled in two spellings is rebuilt from then on).
std::string nameKey(Random& random, const std::string& name)
{
  unsigned form
      = random.below(20000) < 3 ? random.below(3) : static_cast<unsigned>(name.size() + name[0]) % 3;
  return form == 0 ? name : form == 1 ? "*." + name : "." + name;
}

listing::Listing randomListing(Random& random)
{
  listing::Listing listing;
  listing.added = kNow - 1000;
  const std::int64_t expiries[] = { 0, 0, kNow - 10, kNow + 10 };
  listing.expires = expiries[random.below(4)];
  listing.ttl = random.chance(30) ? 60 : 0;
  listing.reason = "r" + std::to_string(random.below(5));
  return listing;
}

// A value text after the key (none for tsets, whose entries take the dataset's value).
std::string randomValue(Random& random, bool tset)
{
  if (tset || random.chance(40))
    return "";
  const char* texts[] = { "", ":3:", ":4:spam from $", ":127.0.0.5:text $0", ":2:=$ own" };
  return texts[random.below(5)];
}

// A dnset file with names, wildcards, both shapes, exclusions, values and metadata.
std::string randomNameFile(Random& random)
{
  static const auto names = nameUniverse();
  std::ostringstream out;
  out << "$SOA 600 ns.bl.example hostmaster.bl.example 0 3600 600 86400 300\n$NS 600 ns.bl.example\n";
  out << "$TTL 900\n:127.0.0.2:Listed $\n";
  for (unsigned i = 0; i < 60; ++i) {
    const std::string& name = names[random.below(static_cast<unsigned>(names.size()))];
    if (random.chance(30))
      out << listing::formatMetadata(randomListing(random)) << "\n";
    if (random.chance(15))
      out << "!" << (random.chance(50) ? "*." : "") << name << "\n";
    else
      out << nameKey(random, name) << " " << randomValue(random, false) << "\n";
    if (random.chance(5))
      out << ":" << (2 + random.below(4)) << ":new default $\n";
  }
  return out.str();
}

// A data file with singles, ranges, exclusions, values and metadata, mostly inside the universe.
// rangeHeavy lines: a prefix (nested in and overlapping the others), an excluded one, or a run of
// adjacent prefixes of one value (joined by the walks).
std::string randomRangeLines(Random& random, bool set)
{
  unsigned length = set ? (random.chance(80) ? 24 : 16) : 16 + random.below(16);
  store::Ip4 size = store::Ip4 { 1 } << (32 - length);
  store::Ip4 first = random.address() & ~(size - 1);
  std::string key = dotted(first) + "/" + std::to_string(length);
  unsigned kind = random.below(100);
  if (kind < 15)
    return "!" + key + "\n";
  if (kind < 70)
    return key + " " + randomValue(random, false) + "\n";
  std::string value = randomValue(random, false), lines;
  for (unsigned i = 0, run = 2 + random.below(4); i < run && first + i * size < kUniverse + kUniverseSize;
       ++i)
    lines += dotted(first + i * size) + "/" + std::to_string(length) + " " + value + "\n";
  return lines;
}

std::string randomFile(Random& random, const std::string& type)
{
  if (type == "dnset")
    return randomNameFile(random);
  if (type == "ip6trie") {
    std::ostringstream out;
    out << "$SOA 600 ns.bl.example hostmaster.bl.example 0 3600 600 86400 300\n$NS 600 ns.bl.example\n";
    out << "$TTL 900\n:127.0.0.2:Listed $\n";
    for (unsigned i = 0; i < 200; ++i) {
      if (random.chance(30))
        out << listing::formatMetadata(randomListing(random)) << "\n";
      out << (random.chance(12) ? "!" + random.prefix6()
                                : random.prefix6() + " " + randomValue(random, false))
          << "\n";
    }
    return out.str();
  }
  bool tset = type == "ip4tset", set = type == "ip4set";
  std::ostringstream out;
  out << "$SOA 600 ns.bl.example hostmaster.bl.example 0 3600 600 86400 300\n$NS 600 ns.bl.example\n";
  out << "$TTL 900\n$0 var-zero\n";
  if (random.chance(30))
    out << "$= base [$]\n";
  out << (tset ? ":127.0.0.2:tset $\n" : ":127.0.0.2:Listed $\n");
  for (unsigned i = 0; i < 200; ++i) {
    store::Ip4 ip = random.address();
    unsigned kind = random.below(100);
    if (random.chance(30))
      out << listing::formatMetadata(randomListing(random)) << "\n";
    if (random.rangeHeavy && !tset && kind < 50) {
      out << randomRangeLines(random, set);
      continue;
    }
    if (tset || kind < 70) {
      out << dotted(ip) << " " << randomValue(random, tset) << "\n";
    } else if (kind < 85) {
      unsigned length = set ? 24 : 22 + random.below(9);
      store::Ip4 first = ip & ~((store::Ip4 { 1 } << (32 - length)) - 1);
      out << dotted(first) << "/" << length << " " << randomValue(random, false) << "\n";
    } else if (kind < 95) {
      out << "!" << dotted(ip) << "\n";
    } else if (set && random.chance(10)) {
      out << (random.chance(50) ? "!" : "") << dotted(ip) << "-" << dotted(ip + 2) << "\n"; // level 32
    } else if (set) {
      out << "!" << dotted(ip & ~255u).substr(0, dotted(ip & ~255u).size() - 2) << "\n"; // "!10.0.1"
    } else {
      out << "!" << dotted(ip & ~15u) << "/28\n";
    }
    if (random.chance(5))
      out << ":" << (2 + random.below(4)) << ":new default $\n";
  }
  return out.str();
}

// A range key as shunctl writes it: ip4set a prefix of /24 or shorter (mostly a /24 of the universe, some
// /16 to /23), the others any prefix length from /22 to /31 (rangeHeavy: ip4set from /8, the others
// from /16).
std::string randomRangeKey(Random& random, const std::string& type)
{
  unsigned ip4setLength = random.chance(80) ? 24 : random.chance(50) ? 16 : 17 + random.below(7);
  unsigned length = type == "ip4set" ? ip4setLength : 22 + random.below(10);
  if (random.rangeHeavy)
    length = type == "ip4set" ? (random.chance(60) ? 24 : 8 + random.below(16)) : 16 + random.below(16);
  store::Ip4 first = random.address() & ~((store::Ip4 { 1 } << (32 - length)) - 1);
  return dotted(first) + "/" + std::to_string(length);
}

JournalRecord randomRecord(Random& random, const std::string& type)
{
  static const auto names = nameUniverse();
  bool tset = type == "ip4tset";
  JournalRecord record;
  record.key = type.starts_with("ip4") && random.chance(random.rangeHeavy ? 40 : 15)
      ? randomRangeKey(random, type)
      : dotted(random.address());
  if (type == "dnset")
    record.key = nameKey(random, names[random.below(static_cast<unsigned>(names.size()))]);
  if (type == "ip6trie")
    record.key = random.prefix6();
  if (random.chance(type == "dnset" ? 20 : 35)) {
    record.kind = JournalRecord::Kind::Remove;
    return record;
  }
  std::string value = randomValue(random, tset);
  record.entryLine = value.empty() ? record.key : record.key + " " + value;
  record.listing = randomListing(random);
  return record;
}

/// dnset: ANY for every name, a name below each and the names above them, A and TXT for a sample.
std::vector<std::vector<std::uint8_t>> nameQuestions(Random& random)
{
  static const auto names = nameUniverse();
  std::vector<std::vector<std::uint8_t>> out;
  for (const std::string& name : names) {
    out.push_back(testing::makeQuery(testing::QuerySpec(name + ".bl.example", 255)));
    out.push_back(testing::makeQuery(testing::QuerySpec("z." + name + ".bl.example", 255)));
    if (random.chance(5)) {
      out.push_back(testing::makeQuery(testing::QuerySpec(name + ".bl.example", 1)));
      out.push_back(testing::makeQuery(testing::QuerySpec("z.z." + name + ".bl.example", 16)));
    }
  }
  for (const char* name : { "ex.bl.example", "z.ex.bl.example", "bl.example" })
    out.push_back(testing::makeQuery(testing::QuerySpec(name, 255)));
  return out;
}

/// Every question asked of both snapshots: ANY for every address and the partial names above them, A and
/// TXT for a sample.
std::vector<std::vector<std::uint8_t>> questions(Random& random, const std::string& type)
{
  if (type == "dnset")
    return nameQuestions(random);
  std::vector<std::vector<std::uint8_t>> out;
  if (type == "ip6trie") {
    for (unsigned i = 0; i < kUniverseSize; ++i) {
      out.push_back(testing::makeQuery(testing::QuerySpec(reversed6(kUniverse6 + i) + "bl.example", 255)));
      if (i % 16 == 0) // the partial names above: is anything listed below them
        out.push_back(
            testing::makeQuery(testing::QuerySpec(reversed6(kUniverse6 + i, 31) + "bl.example", 255)));
    }
    for (unsigned nibbles : { 30, 29, 20 })
      out.push_back(
          testing::makeQuery(testing::QuerySpec(reversed6(kUniverse6, nibbles) + "bl.example", 255)));
    return out;
  }
  for (unsigned i = 0; i < kUniverseSize; ++i) {
    std::string name = reversed(kUniverse + i) + ".bl.example";
    out.push_back(testing::makeQuery(testing::QuerySpec(name, 255)));
    if (random.chance(5)) {
      out.push_back(testing::makeQuery(testing::QuerySpec(name, 1)));
      out.push_back(testing::makeQuery(testing::QuerySpec(name, 16)));
    }
  }
  for (unsigned c = 0; c < 4; ++c)
    for (const char* name : { ".0.10.bl.example", ".0.10.in-addr.bl.example" })
      out.push_back(testing::makeQuery(testing::QuerySpec(std::to_string(c) + name, 255)));
  out.push_back(testing::makeQuery(testing::QuerySpec("0.10.bl.example", 1)));
  out.push_back(testing::makeQuery(testing::QuerySpec("10.bl.example", 16)));
  return out;
}

/// The snapshot a full load gives, with its first dataset replaced.
std::unique_ptr<store::Snapshot> withDataset(const store::Snapshot& full, const store::Dataset& dataset)
{
  auto snapshot = std::make_unique<store::Snapshot>();
  snapshot->zones = full.zones;
  snapshot->zones.at(0).datasets.at(0).dataset = &dataset;
  snapshot->builtAt = full.builtAt;
  return snapshot;
}

std::vector<std::uint8_t> answerBytes(const store::Snapshot& snapshot, const std::vector<std::uint8_t>& query)
{
  std::vector<std::uint8_t> out(65535);
  auto result = query::answer(query, snapshot, kNow, {}, query::Transport::Udp, {}, out);
  out.resize(result.length);
  return out;
}

std::string dump(const store::Snapshot& snapshot)
{
  std::ostringstream out;
  zone::dumpBind(snapshot, out, kNow);
  return out.str();
}

std::shared_ptr<const store::Dataset> firstOf(const std::shared_ptr<const store::Snapshot>& snapshot)
{
  return { snapshot, snapshot->zones.at(0).datasets.at(0).dataset }; // shares the snapshot's life
}

// The dataset a file of type with text loads as (the file is gone once it is loaded).
std::shared_ptr<const store::Dataset> loadedDataset(const std::string& type, const std::string& text)
{
  zonetest::TempDir dir;
  return firstOf(zonetest::loadOne(dir, type, text).snapshot);
}

// A journal record for key: an add of line, or without a line a removal.
JournalRecord keyRecord(const std::string& key, const std::string& line = "")
{
  JournalRecord r;
  r.key = key;
  r.kind = line.empty() ? JournalRecord::Kind::Remove : JournalRecord::Kind::Add;
  r.entryLine = line;
  return r;
}

// The TXT of the first value a lookup (Ip4Hit, NameHit) found, or "-" where nothing is listed.
template <typename Hit> std::string firstText(const Hit& hit)
{
  if (hit.payload == store::kNoPayload)
    return "-";
  return hit.tables->values.value(hit.tables->sets.set(hit.payload)[0]).txt;
}

// Applies each record as a change set of its own to current, in turn: each must lay over the dataset current
// held first, never rebuild it. Returns the slowest apply in milliseconds.
double applyEachOverBase(
    std::shared_ptr<const store::Dataset>& current, const std::vector<JournalRecord>& records)
{
  const store::Dataset* base = current.get();
  std::vector<zone::Diagnostic> diagnostics;
  double slowest = 0;
  for (const JournalRecord& record : records) {
    auto start = std::chrono::steady_clock::now();
    auto next = zone::applyChangeSet(current, { record }, {}, diagnostics);
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    REQUIRE(next);
    REQUIRE(next->overlay);
    CHECK(next->overlay->base().get() == base);
    current = next;
    slowest = std::max(slowest, ms);
  }
  return slowest;
}

struct Counts {
  unsigned overlaid = 0, reloaded = 0, emptyNonTerminals = 0, rangeLayers = 0;
};

// CI runs the sanitizer build's unit tests beside its system tests: there, fewer changes keep the suite
// within the system tests' deadlines (the plain build runs them all).
#if defined(__SANITIZE_ADDRESS__)
constexpr unsigned kRandomChanges = 3'000;
#else
constexpr unsigned kRandomChanges = 10'000;
#endif

// Applies random changes in random batches; after each, the overlay answers as the full load does.
Counts checkRandomChanges(
    const std::string& type, unsigned seed, bool rangeHeavy = false, unsigned changes = kRandomChanges)
{
  Random random { std::mt19937(seed), rangeHeavy };
  zonetest::TempDir dir;
  std::string file = dir.write("data", randomFile(random, type));
  std::string journal = file + ".journal";
  auto spec = zone::parseZoneSpec("bl.example:" + type + ":" + file);
  auto load = [&] {
    auto result = zone::loadSnapshot({ spec }, {});
    REQUIRE(result.snapshot);
    return result.snapshot;
  };
  std::shared_ptr<const store::Dataset> current = firstOf(load());
  Counts counts;
  for (unsigned done = 0, batch = 0; done < changes; ++batch) {
    std::vector<JournalRecord> records;
    unsigned size = random.chance(20) ? 1 + random.below(5) : 1 + random.below(200);
    for (; size > 0 && done < changes; --size, ++done)
      records.push_back(randomRecord(random, type));
    if (type == "ip4set" && batch == 90) { // a level-32 range: rebuilt, and range changes after it too
      records.push_back(randomRecord(random, type));
      records.back().key = dotted(random.address() & ~127u) + "/25";
      if (records.back().kind == JournalRecord::Kind::Add)
        records.back().entryLine = records.back().key + " :5:range";
    }
    std::ofstream(journal, std::ios::app | std::ios::binary) << listing::encodeJournalBlock(records);
    std::vector<zone::Diagnostic> diagnostics;
    auto next = zone::applyChangeSet(current, records, {}, diagnostics);
    auto full = load();
    if (next) {
      ++counts.overlaid;
      counts.rangeLayers += next->overlay->ranges() != nullptr;
      CHECK(next->overlay->base() == (current->overlay ? current->overlay->base() : current));
      current = next;
    } else {
      ++counts.reloaded;
      current = firstOf(full); // as the reloader does: the full load is the new base
    }
    auto overlaid = withDataset(*full, *current);
    for (const auto& query : questions(random, type)) {
      auto expected = answerBytes(*full, query);
      auto got = answerBytes(*overlaid, query);
      if (expected != got && current->overlay && current->overlay->hidesListedNames()) {
        // The one documented difference until the merge: a name whose last listed descendant was removed
        // through the overlay answers NODATA, not NXDOMAIN (store::Overlay::hasNameDescendant).
        auto want = testing::readResponse(expected.data(), expected.size());
        auto have = testing::readResponse(got.data(), got.size());
        if (want.rcode == 3 && have.rcode == 0 && have.answer.empty()) {
          ++counts.emptyNonTerminals;
          continue;
        }
      }
      if (expected != got) {
        auto want = testing::readResponse(expected.data(), expected.size());
        auto have = testing::readResponse(got.data(), got.size());
        INFO(type << " seed " << seed << " batch " << batch << " question " << want.question.at(0));
        CHECK(have.answer == want.answer);
        CHECK(have.authority == want.authority);
        CHECK(have.rcode == want.rcode);
        REQUIRE(got == expected);
      }
    }
    if (batch % 16 == 0) {
      INFO(type << " seed " << seed << " batch " << batch);
      REQUIRE(dump(*overlaid) == dump(*full));
    }
  }
  return counts;
}

} // namespace

TEST_CASE("change sets: 10k random adds and removes applied as overlays answer as full loads do")
{
  auto type = GENERATE(as<std::string> {}, "ip4set", "ip4trie", "ip4tset", "ip6trie", "dnset");
  Counts counts = checkRandomChanges(type, 12);
  INFO(type << ": " << counts.overlaid << " change sets overlaid, " << counts.reloaded << " reloaded, "
            << counts.emptyNonTerminals << " empty non-terminals answered NODATA until the merge");
  CHECK(counts.overlaid > counts.reloaded); // the overlay is the common path
  if (type != "dnset" && type != "ip6trie")
    CHECK(counts.rangeLayers > counts.overlaid / 4); // ranges and the exclusions below them overlaid too
}

// 3k changes: each batch is checked against a full load of a range-heavy file, slow under the sanitizers
// that CI runs beside the system tests.
TEST_CASE("change sets: 3k random changes among many nested, overlapping and adjacent ranges answer as full "
          "loads do")
{
  auto type = GENERATE(as<std::string> {}, "ip4set", "ip4trie", "ip4tset");
  Counts counts = checkRandomChanges(type, 7, true, 3'000);
  INFO(type << ": " << counts.overlaid << " change sets overlaid, " << counts.reloaded << " reloaded");
  CHECK(counts.overlaid > counts.reloaded);
  CHECK(counts.rangeLayers > counts.overlaid / 2);
}

TEST_CASE("change sets: what an overlay cannot answer exactly falls back to a full load")
{
  std::shared_ptr<const store::Dataset> base = loadedDataset("ip4set", "10.0.0.0/24\n10.0.1.1-10.0.1.5\n");
  std::vector<zone::Diagnostic> diagnostics;
  auto change = [&](const std::string& key, const std::string& line = "") {
    JournalRecord record;
    record.key = key;
    record.entryLine = line.empty() ? key : line;
    return zone::applyChangeSet(base, { record }, {}, diagnostics);
  };
  CHECK(change("10.0.0.7") != nullptr);
  CHECK(change("10.0.2.0/24") != nullptr); // a range: its layer is rebuilt
  CHECK(change("10.0.2.0/23") != nullptr); // two octet blocks: one level-24 range
  CHECK(change("10.0.2.0/25") == nullptr); // a level-32 range of an ip4set
  CHECK(change("10.0.2.0/24", "10.0.2.0/23") == nullptr); // a line for another key
  CHECK(change("10.0.0.7/32") == nullptr); // not the journal's spelling
  CHECK(change("10.0.0.7", "!10.0.0.7") == nullptr); // an exclusion
  CHECK(change("10.0.1.3") == nullptr); // inside a level-32 range of an ip4set
  CHECK(change("2001:db8::1") == nullptr); // an IPv6 key in an IPv4 dataset
  std::vector<JournalRecord> many;
  for (store::Ip4 i = 0; i <= zone::kMaxOverlayChanges; ++i) {
    JournalRecord record;
    record.key = record.entryLine = dotted(0x0b000000 + i);
    many.push_back(record);
  }
  CHECK(zone::applyChangeSet(base, many, {}, diagnostics) == nullptr); // merged by a full load instead
}

TEST_CASE("change sets: a range overlaid combines with the base's longer prefixes and exclusions")
{
  std::shared_ptr<const store::Dataset> base = loadedDataset(
      "ip4trie", "10.0.0.0/16 :2:wide\n10.0.1.0/24 :3:narrow\n!10.0.1.5\n10.0.1.6 :4:one\n!10.9.0.5\n");
  std::vector<zone::Diagnostic> diagnostics;
  auto text = [](const store::Dataset& dataset, store::Ip4 ip) { return firstText(dataset.findIp4(ip)); };
  // The /24 removed: the /16 around it decides again, and the exclusion and the single stay.
  auto next = zone::applyChangeSet(
      base, { keyRecord("10.0.1.0/24"), keyRecord("10.9.0.0/24", "10.9.0.0/24 :5:new") }, {}, diagnostics);
  REQUIRE(next);
  REQUIRE(next->overlay->ranges());
  CHECK(text(*next, 0x0a000107) == "wide");
  CHECK(text(*next, 0x0a000105) == "-");
  CHECK(text(*next, 0x0a000106) == "one");
  CHECK(text(*next, 0x0a090001) == "new");
  CHECK(text(*next, 0x0a090005) == "-"); // the base's exclusion cuts its hole in the new range
  CHECK(next->anyIp4Within(0x0a090000, 0x0a0900ff));
  // A longer prefix inside the new range, then the single's address removed: the ranges decide there.
  auto after = zone::applyChangeSet(
      next, { keyRecord("10.9.0.128/25", "10.9.0.128/25 :6:half"), keyRecord("10.0.1.6") }, {}, diagnostics);
  REQUIRE(after);
  CHECK(text(*after, 0x0a090081) == "half");
  CHECK(text(*after, 0x0a090001) == "new");
  CHECK(text(*after, 0x0a000106) == "wide");
  CHECK(after->overlay->base() == base);
  // Removing the exclusion's key shows the range under it.
  auto unexcluded = zone::applyChangeSet(after, { keyRecord("10.9.0.5") }, {}, diagnostics);
  REQUIRE(unexcluded);
  CHECK(text(*unexcluded, 0x0a090005) == "new");
  CHECK(text(*unexcluded, 0x0a000105) == "-"); // under the /16, still excluded
}

TEST_CASE("change sets: dnset names are overlaid with rbldnsd's precedence, and what is not exact is rebuilt")
{
  std::shared_ptr<const store::Dataset> base = loadedDataset(
      "dnset", "*.ex :2:wild\n!bad.ex\n.both.ex :3:both\nlisted.ex :4:listed\n*.deep.a.ex :5:deep\n");
  std::vector<zone::Diagnostic> diagnostics;
  auto payloadOf = [](const store::Dataset& dataset, const std::string& dottedName) {
    return firstText(dataset.findName(testing::wireName(dottedName)));
  };
  // Removing an exclusion shows the wildcard above it; a new wildcard below another one is closer.
  auto next = zone::applyChangeSet(
      base, { keyRecord("bad.ex"), keyRecord("*.a.ex", "*.a.ex :6:a") }, {}, diagnostics);
  REQUIRE(next);
  CHECK(payloadOf(*next, "bad.ex") == "wild");
  CHECK(payloadOf(*next, "x.a.ex") == "a");
  CHECK(payloadOf(*next, "a.ex") == "wild"); // a wildcard does not list its own name
  CHECK(payloadOf(*next, "x.deep.a.ex") == "deep");
  // Removing the closer wildcard again: the base's one above decides.
  auto after = zone::applyChangeSet(next, { keyRecord("*.a.ex") }, {}, diagnostics);
  REQUIRE(after);
  CHECK(payloadOf(*after, "x.a.ex") == "wild");
  CHECK(after->overlay->base() == base);
  // An exact name over a wildcard, and the name's exclusion hidden by a removal.
  auto exact = zone::applyChangeSet(after, { keyRecord("y.a.ex", "y.a.ex :7:exact") }, {}, diagnostics);
  REQUIRE(exact);
  CHECK(payloadOf(*exact, "y.a.ex") == "exact");
  CHECK(exact->hasNameDescendant(testing::wireName("a.ex")));
  CHECK_FALSE(base->hasNameDescendant(testing::wireName("y.a.ex")));
  // Not exact through an overlay: rebuilt instead.
  // A removed listed name is overlaid, and marked for a merge: its ancestors may be empty now.
  auto removed = zone::applyChangeSet(base, { keyRecord("listed.ex") }, {}, diagnostics);
  REQUIRE(removed);
  CHECK(removed->overlay->hidesListedNames());
  CHECK(payloadOf(*removed, "listed.ex") == "wild");
  CHECK_FALSE(exact->overlay->hidesListedNames());
  auto unwild = zone::applyChangeSet(base, { keyRecord("*.ex") }, {}, diagnostics);
  REQUIRE(unwild);
  CHECK(payloadOf(*unwild, "x.ex") == "-");
  CHECK(payloadOf(*unwild, "bad.ex") == "-"); // still excluded
  CHECK(payloadOf(*unwild, "both.ex") == "both");
  CHECK(zone::applyChangeSet(base, { keyRecord("Upper.ex", "Upper.ex") }, {}, diagnostics) == nullptr);
  CHECK(
      zone::applyChangeSet(base, { keyRecord("n.ex", "!n.ex") }, {}, diagnostics) == nullptr); // an exclusion
  CHECK(
      zone::applyChangeSet(base, { keyRecord("n.ex", "n.ex"), keyRecord(".n.ex", ".n.ex") }, {}, diagnostics)
      == nullptr); // two spellings of one name
  auto spelled = zone::applyChangeSet(base, { keyRecord("n.ex", "n.ex") }, {}, diagnostics);
  REQUIRE(spelled);
  CHECK(zone::applyChangeSet(spelled, { keyRecord("*.n.ex", "*.n.ex") }, {}, diagnostics) == nullptr);
  CHECK(zone::applyChangeSet(spelled, { keyRecord("n.ex") }, {}, diagnostics) != nullptr);
}

TEST_CASE("change sets: a change set copies the overlay's entries, not its values")
{
  std::shared_ptr<const store::Dataset> current = loadedDataset("ip4set", "10.0.0.1\n");
  std::vector<zone::Diagnostic> diagnostics;
  std::vector<JournalRecord> batch;
  for (store::Ip4 i = 0; i < 1000; ++i) {
    JournalRecord record;
    record.key = dotted(0x0b000000 + i);
    record.entryLine = record.key + " :3:batch";
    batch.push_back(record);
  }
  current = zone::applyChangeSet(current, batch, {}, diagnostics);
  REQUIRE(current);
  const store::Dataset* batchTables = current->findIp4(0x0b000005).tables;
  for (unsigned i = 0; i < 100; ++i) { // the same key again and again: its old parts are dropped
    JournalRecord record;
    record.key = dotted(0x0c000000);
    record.entryLine = record.key + " :4:again";
    current = zone::applyChangeSet(current, { record }, {}, diagnostics);
    REQUIRE(current);
  }
  CHECK(current->findIp4(0x0b000005).tables == batchTables); // shared with the batch's part
  CHECK(current->overlay->parts().size() <= 2 * current->overlay->size() + 17);
  CHECK(current->overlay->size() == 1001);
}

// Timing lives in bench/lifecycle.py; here: each change lays over the one loaded base, never rebuilding it.
TEST_CASE("change sets: one address or range added to a base of a million entries keeps sharing the base")
{
  std::string text;
  text.reserve(16 << 20);
  for (store::Ip4 i = 0; i < 1'000'000; ++i)
    text += dotted(0x0a000000 + i * 7) + "\n";
  std::shared_ptr<const store::Dataset> current = loadedDataset("ip4set", text);
  std::vector<JournalRecord> adds;
  for (unsigned i = 0; i < 20; ++i) {
    std::string key = i % 2 ? dotted(0x0b000000 + (i << 8)) + "/24" : dotted(0x0b000000 + i); // ranges too
    adds.push_back(keyRecord(key, key + " :3:new"));
    adds.back().listing.reason = "benchmark";
  }
  double slowest = applyEachOverBase(current, adds);
  WARN("applyChangeSet of one address or /24 on a 1M-entry ip4set: slowest of 20 " << slowest << " ms");
  CHECK(current->findIp4(0x0b000004).payload != store::kNoPayload);
  CHECK(current->findIp4(0x0b000305).payload != store::kNoPayload);
  CHECK(current->findIp4(0x0a000007).payload != store::kNoPayload);
}

TEST_CASE("change sets: one name added to a dnset of 200k names keeps sharing the base")
{
  std::string text;
  for (unsigned i = 0; i < 200'000; ++i)
    text += (i % 5 == 0 ? "." : "") + std::string("n") + std::to_string(i) + ".example.com\n";
  std::shared_ptr<const store::Dataset> current = loadedDataset("dnset", text);
  std::vector<JournalRecord> adds;
  for (unsigned i = 0; i < 20; ++i) {
    std::string key = (i % 2 ? "*.w" : "a") + std::to_string(i) + ".example.org";
    adds.push_back(keyRecord(key, key + " :3:new"));
  }
  double slowest = applyEachOverBase(current, adds);
  WARN("applyChangeSet of one name on a 200k-name dnset: slowest of 20 " << slowest << " ms");
  CHECK(current->findName(testing::wireName("x.w3.example.org")).payload != store::kNoPayload);
  CHECK(current->findName(testing::wireName("a2.example.org")).payload != store::kNoPayload);
  CHECK(current->findName(testing::wireName("x.n5.example.com")).payload != store::kNoPayload);
  CHECK(current->findName(testing::wireName("x.n6.example.com")).payload == store::kNoPayload);
}

TEST_CASE("change sets: a batch of thousands of names in one change set answers as a full load does")
{
  zonetest::TempDir dir;
  std::string text
      = "$SOA 600 ns.bl.example hostmaster.bl.example 0 3600 600 86400 300\n:127.0.0.2:Listed $\n";
  for (unsigned i = 0; i < 3000; ++i)
    text += (i % 3 == 0          ? "."
                    : i % 3 == 1 ? "*."
                                 : "")
        + std::string("b") + std::to_string(i) + ".ex :3:base\n";
  std::string file = dir.write("data", text);
  auto spec = zone::parseZoneSpec("bl.example:dnset:" + file);
  auto base = zone::loadSnapshot({ spec }, {}).snapshot;
  REQUIRE(base);
  std::vector<JournalRecord> records;
  auto add = [&](const std::string& key, const std::string& value) {
    JournalRecord record;
    record.key = key;
    record.entryLine = key + value;
    record.listing.reason = "batch";
    records.push_back(record);
  };
  auto remove = [&](const std::string& key) {
    JournalRecord record;
    record.key = key;
    record.kind = JournalRecord::Kind::Remove;
    records.push_back(record);
  };
  for (unsigned i = 5000; i > 0; --i) // out of order: the batch is sorted once
    add((i % 7 == 0           ? "."
                : i % 11 == 0 ? "*."
                              : "")
            + std::string("n") + std::to_string(i) + ".ex",
        i % 5 ? "" : " :4:new");
  for (unsigned i = 1; i < 5000; i += 13)
    add((i % 7 == 0           ? "."
                : i % 11 == 0 ? "*."
                              : "")
            + std::string("n") + std::to_string(i) + ".ex",
        " :5:again"); // the last record of a key decides
  for (unsigned i = 2; i < 5000; i += 17)
    remove((i % 7 == 0 ? "." : i % 11 == 0 ? "*." : "") + std::string("n") + std::to_string(i) + ".ex");
  for (unsigned i = 2; i < 3000; i += 9) // exact base names removed, wildcards and both replaced
    if (i % 3 == 2)
      remove("b" + std::to_string(i) + ".ex");
    else
      add((i % 3 == 0 ? "." : "*.") + std::string("b") + std::to_string(i) + ".ex", " :6:replaced");
  add("n5001.ex", " :bad value:"); // a line the loader rejects: not listed, as a full load leaves it out
  std::ofstream(file + ".journal", std::ios::binary) << listing::encodeJournal(records);
  std::vector<zone::Diagnostic> diagnostics;
  auto next = zone::applyChangeSet(firstOf(base), records, {}, diagnostics);
  REQUIRE(next);
  CHECK(next->overlay->nameChanges().size() > 5000);
  auto full = zone::loadSnapshot({ spec }, {}).snapshot;
  REQUIRE(full);
  auto overlaid = withDataset(*full, *next);
  CHECK(dump(*overlaid) == dump(*full));
  for (std::string name : { "n10.ex", "x.n11.ex", "n14.ex", "x.n14.ex", "n19.ex", "n5001.ex", "b2.ex",
           "x.b2.ex", "b3.ex", "x.b3.ex", "x.b4.ex", "b11.ex", "x.b1.ex", "zz.ex" }) {
    auto query = testing::makeQuery(testing::QuerySpec(name + ".bl.example", 255));
    INFO(name);
    CHECK(answerBytes(*overlaid, query) == answerBytes(*full, query));
  }
}
