// query::answer on a snapshot loaded from a 1M-line synthetic ip4trie zone (the real loader).
#include "bl_test.hpp"
#include "shun/query/answer.hpp"
#include "shun/zone/load.hpp"
#include "synthetic.hpp"

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

using namespace shun;

namespace {

constexpr std::uint32_t kLines = 1000000;

std::string writeZone(const std::vector<bench::SyntheticEntry>& entries)
{
  auto path = (std::filesystem::temp_directory_path() / "shun-microbench-zone.txt").string();
  std::ofstream out(path);
  out << "$SOA 3600 ns1.bl.test. hostmaster.bl.test. 1 600 300 86400 300\n$NS 3600 ns1.bl.test.\n"
      << ":127.0.0.2:Listed in bl.test, see http://bl.test/lookup?ip=$\n";
  for (const auto& e : entries) {
    out << bench::dotted(e.first);
    if (e.prefix != 32)
      out << '/' << int(e.prefix);
    out << (e.value ? " :127.0.0.3:Spam source $\n" : "\n");
    if (e.hasExclusion)
      out << '!' << bench::dotted(e.excluded) << '\n';
  }
  return path;
}

std::shared_ptr<const store::Snapshot> snapshotOf(const std::vector<bench::SyntheticEntry>& entries)
{
  auto path = writeZone(entries);
  auto result = zone::loadSnapshot({ zone::parseZoneSpec("bl.test:ip4trie:" + path) }, {});
  std::filesystem::remove(path);
  if (!result.snapshot)
    throw std::runtime_error("microbench: the synthetic zone did not load");
  return result.snapshot;
}

} // namespace

TEST_CASE("micro: query::answer for listed and unlisted A queries, 1M-line ip4trie", "[micro][answer]")
{
  auto entries = bench::syntheticZone(kLines);
  auto snapshot = snapshotOf(entries);
  auto listed = bench::queryFor(entries[12345].first, 1);
  auto listedTxt = bench::queryFor(entries[12345].first, 16);
  auto unlisted = bench::queryFor(0x0f010203, 1); // 15.1.2.3: never listed
  std::array<std::uint8_t, 1232> out {};
  query::AnswerOptions options;
  query::ClientAddress client;
  auto ask = [&](const std::vector<std::uint8_t>& q) {
    return query::answer(q, *snapshot, 1800000000, client, query::Transport::Udp, options, out).length;
  };
  auto check = query::answer(listed, *snapshot, 1800000000, client, query::Transport::Udp, options, out);
  std::printf(
      "answer: listed A -> rcode %u, %zu bytes, listed %d\n", check.rcode, check.length, check.listed);
  check = query::answer(unlisted, *snapshot, 1800000000, client, query::Transport::Udp, options, out);
  std::printf("answer: unlisted A -> rcode %u, %zu bytes\n", check.rcode, check.length);
  BENCHMARK("answer: listed A")
  {
    return ask(listed);
  };
  BENCHMARK("answer: listed TXT ($ template)")
  {
    return ask(listedTxt);
  };
  BENCHMARK("answer: unlisted A (NXDOMAIN + SOA)")
  {
    return ask(unlisted);
  };
}
