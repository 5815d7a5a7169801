// zone::applyChangeSet on a 1M-line ip4set, and query::answer through the overlay it builds.
#include "bl_test.hpp"
#include "shun/listing/journal.hpp"
#include "shun/query/answer.hpp"
#include "shun/store/overlay.hpp"
#include "shun/zone/change_set.hpp"
#include "synthetic.hpp"

#include <array>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

using namespace shun;

namespace {

constexpr std::uint32_t kLines = 1000000;
constexpr std::int64_t kNow = 1800000000;

// The synthetic zone as an ip4set (CIDR blocks are octet-aligned here, so few level-32 ranges).
std::string writeZone(const std::vector<bench::SyntheticEntry>& entries)
{
  auto path = (std::filesystem::temp_directory_path() / "shun-microbench-changes.txt").string();
  std::ofstream out(path);
  out << "$SOA 3600 ns1.bl.test. hostmaster.bl.test. 1 600 300 86400 300\n$NS 3600 ns1.bl.test.\n"
      << ":127.0.0.2:Listed in bl.test, see http://bl.test/lookup?ip=$\n";
  for (const auto& e : entries)
    if (e.prefix == 32)
      out << bench::dotted(e.first) << (e.value ? " :127.0.0.3:Spam source $\n" : "\n");
  return path;
}

listing::JournalRecord addition(store::Ip4 address)
{
  listing::JournalRecord record;
  record.key = bench::dotted(address);
  record.entryLine = record.key + " :127.0.0.4:added $";
  record.listing.added = kNow;
  record.listing.reason = "benchmark";
  return record;
}

} // namespace

TEST_CASE("micro: applyChangeSet and answers through an overlay, 1M-line ip4set", "[micro][changes]")
{
  auto entries = bench::syntheticZone(kLines);
  auto path = writeZone(entries);
  auto start = std::chrono::steady_clock::now();
  auto loaded = zone::loadSnapshot({ zone::parseZoneSpec("bl.test:ip4set:" + path) }, {});
  double loadMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  REQUIRE(loaded.snapshot);
  std::shared_ptr<const store::Dataset> base(
      loaded.snapshot, loaded.snapshot->zones.at(0).datasets.at(0).dataset);
  std::printf("full load of the 1M-line ip4set: %.0f ms\n", loadMs);
  std::vector<zone::Diagnostic> diagnostics;
  // 1000 changes already in the overlay, one more applied per iteration.
  std::vector<listing::JournalRecord> thousand;
  for (store::Ip4 i = 0; i < 1000; ++i)
    thousand.push_back(addition(0x0f000000 + i * 3)); // 15/8: never in the base
  auto overlaid = zone::applyChangeSet(base, thousand, {}, diagnostics);
  REQUIRE(overlaid);
  std::vector<listing::JournalRecord> many;
  for (store::Ip4 i = 0; i < zone::kMaxOverlayChanges - 1; ++i)
    many.push_back(addition(0x0f000000 + i * 3));
  auto full = zone::applyChangeSet(base, many, {}, diagnostics);
  REQUIRE(full);
  std::uint32_t next = 0;
  BENCHMARK("applyChangeSet: 1 add on the base")
  {
    return zone::applyChangeSet(base, { addition(0x0e000000 + next++) }, {}, diagnostics);
  };
  BENCHMARK("applyChangeSet: 1 add on the base + 1000 changes")
  {
    return zone::applyChangeSet(overlaid, { addition(0x0e000000 + next++) }, {}, diagnostics);
  };
  BENCHMARK("applyChangeSet: 1 add on the base + 262143 changes (the most an overlay holds)")
  {
    return zone::applyChangeSet(full, { addition(0x0f000000 + 3 * (next++ % 1000)) }, {}, diagnostics);
  };

  store::Snapshot snapshot;
  snapshot.zones = loaded.snapshot->zones;
  snapshot.zones.at(0).datasets.at(0).dataset = overlaid.get();
  std::array<std::uint8_t, 1232> out {};
  auto ask = [&](const std::vector<std::uint8_t>& q) {
    return query::answer(q, snapshot, kNow, {}, query::Transport::Udp, {}, out).length;
  };
  std::size_t listedIndex = 12345;
  while (entries[listedIndex].prefix != 32)
    ++listedIndex;
  auto listedBase = bench::queryFor(entries[listedIndex].first, 1);
  auto listedOverlay = bench::queryFor(0x0f000000 + 300, 1);
  auto unlisted = bench::queryFor(0x0f010203, 1);
  BENCHMARK("answer through an overlay of 1000: listed A in the base")
  {
    return ask(listedBase);
  };
  BENCHMARK("answer through an overlay of 1000: listed A in the overlay")
  {
    return ask(listedOverlay);
  };
  BENCHMARK("answer through an overlay of 1000: unlisted A (NXDOMAIN + SOA)")
  {
    return ask(unlisted);
  };
  std::filesystem::remove(path);
}
