// Change sets applied as an overlay on an immutable base (zone::applyChangeSet) answer exactly as a full
// load of the data file and its whole journal: a property test over random files and random changes.
#include "fixture.hpp"
#include "shun/listing/journal.hpp"
#include "shun/store/ip4_overlay.hpp"
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

struct Random {
  std::mt19937 engine;
  unsigned below(unsigned n) { return std::uniform_int_distribution<unsigned>(0, n - 1)(engine); }
  bool chance(unsigned percent) { return below(100) < percent; }
  store::Ip4 address() { return kUniverse + below(kUniverseSize); }
};

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

// A data file with singles, ranges, exclusions, values and metadata, mostly inside the universe.
std::string randomFile(Random& random, const std::string& type)
{
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

JournalRecord randomRecord(Random& random, bool tset)
{
  JournalRecord record;
  record.key = dotted(random.address());
  if (random.chance(35)) {
    record.kind = JournalRecord::Kind::Remove;
    return record;
  }
  std::string value = randomValue(random, tset);
  record.entryLine = value.empty() ? record.key : record.key + " " + value;
  record.listing = randomListing(random);
  return record;
}

/// Every question asked of both snapshots: ANY for every address and the partial names above them, A and
/// TXT for a sample.
std::vector<std::vector<std::uint8_t>> questions(Random& random)
{
  std::vector<std::vector<std::uint8_t>> out;
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

struct Counts {
  unsigned overlaid = 0, reloaded = 0;
};

// Applies 10k random changes in random batches; after each, the overlay answers as the full load does.
Counts checkRandomChanges(const std::string& type, unsigned seed)
{
  Random random { std::mt19937(seed) };
  bool tset = type == "ip4tset";
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
  for (unsigned done = 0, batch = 0; done < 10'000; ++batch) {
    std::vector<JournalRecord> records;
    unsigned size = random.chance(20) ? 1 + random.below(5) : 1 + random.below(200);
    for (; size > 0 && done < 10'000; --size, ++done)
      records.push_back(randomRecord(random, tset));
    std::ofstream(journal, std::ios::app | std::ios::binary) << listing::encodeJournalBlock(records);
    std::vector<zone::Diagnostic> diagnostics;
    auto next = zone::applyChangeSet(current, records, {}, diagnostics);
    auto full = load();
    if (next) {
      ++counts.overlaid;
      CHECK(next->overlay->base() == (current->overlay ? current->overlay->base() : current));
      current = next;
    } else {
      ++counts.reloaded;
      current = firstOf(full); // as the reloader does: the full load is the new base
    }
    auto overlaid = withDataset(*full, *current);
    for (const auto& query : questions(random)) {
      auto expected = answerBytes(*full, query);
      auto got = answerBytes(*overlaid, query);
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
  auto type = GENERATE(as<std::string> {}, "ip4set", "ip4trie", "ip4tset");
  Counts counts = checkRandomChanges(type, 12);
  INFO(type << ": " << counts.overlaid << " change sets overlaid, " << counts.reloaded << " reloaded");
  CHECK(counts.overlaid > counts.reloaded); // the overlay is the common path
}

TEST_CASE("change sets: what an overlay cannot answer exactly falls back to a full load")
{
  zonetest::TempDir dir;
  auto loaded = zonetest::loadOne(dir, "ip4set", "10.0.0.0/24\n10.0.1.1-10.0.1.5\n");
  std::shared_ptr<const store::Dataset> base = firstOf(loaded.snapshot);
  std::vector<zone::Diagnostic> diagnostics;
  auto change = [&](const std::string& key, const std::string& line = "") {
    JournalRecord record;
    record.key = key;
    record.entryLine = line.empty() ? key : line;
    return zone::applyChangeSet(base, { record }, {}, diagnostics);
  };
  CHECK(change("10.0.0.7") != nullptr);
  CHECK(change("10.0.2.0/24") == nullptr); // a range
  CHECK(change("10.0.0.7/32") == nullptr); // not the journal's spelling
  CHECK(change("10.0.0.7", "!10.0.0.7") == nullptr); // an exclusion
  CHECK(change("10.0.1.3") == nullptr); // inside a level-32 range of an ip4set
  CHECK(change("2001:db8::1") == nullptr);
  std::vector<JournalRecord> many;
  for (store::Ip4 i = 0; i <= zone::kMaxOverlayChanges; ++i) {
    JournalRecord record;
    record.key = record.entryLine = dotted(0x0b000000 + i);
    many.push_back(record);
  }
  CHECK(zone::applyChangeSet(base, many, {}, diagnostics) == nullptr); // merged by a full load instead
}

TEST_CASE("change sets: one change to a base of a million entries is applied in well under 50 ms")
{
  zonetest::TempDir dir;
  std::string text;
  text.reserve(16 << 20);
  for (store::Ip4 i = 0; i < 1'000'000; ++i)
    text += dotted(0x0a000000 + i * 7) + "\n";
  auto loaded = zonetest::loadOne(dir, "ip4set", text);
  std::shared_ptr<const store::Dataset> current = firstOf(loaded.snapshot);
  std::vector<zone::Diagnostic> diagnostics;
  double slowest = 0;
  for (unsigned i = 0; i < 20; ++i) {
    JournalRecord record;
    record.key = dotted(0x0b000000 + i);
    record.entryLine = record.key + " :3:new";
    record.listing.reason = "benchmark";
    auto start = std::chrono::steady_clock::now();
    auto next = zone::applyChangeSet(current, { record }, {}, diagnostics);
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    REQUIRE(next);
    current = next;
    slowest = std::max(slowest, ms);
  }
  WARN("applyChangeSet of one record on a 1M-entry ip4set: slowest of 20 " << slowest << " ms");
  CHECK(slowest < 50);
  CHECK(current->findIp4(0x0b000003).payload != store::kNoPayload);
  CHECK(current->findIp4(0x0a000007).payload != store::kNoPayload);
}
