// query::answer on a snapshot loaded from a 1M-line synthetic ip4trie zone (the real loader).
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

std::string dotted(store::Ip4 a)
{
  return std::to_string(a >> 24) + "." + std::to_string((a >> 16) & 255) + "."
      + std::to_string((a >> 8) & 255) + "." + std::to_string(a & 255);
}

std::string writeZone(const std::vector<bench::SyntheticEntry>& entries)
{
  auto path = (std::filesystem::temp_directory_path() / "shun-microbench-zone.txt").string();
  std::ofstream out(path);
  out << "$SOA 3600 ns1.bl.test. hostmaster.bl.test. 1 600 300 86400 300\n$NS 3600 ns1.bl.test.\n"
      << ":127.0.0.2:Listed in bl.test, see http://bl.test/lookup?ip=$\n";
  for (const auto& e : entries) {
    out << dotted(e.first);
    if (e.prefix != 32)
      out << '/' << int(e.prefix);
    out << (e.value ? " :127.0.0.3:Spam source $\n" : "\n");
    if (e.hasExclusion)
      out << '!' << dotted(e.excluded) << '\n';
  }
  return path;
}

/// A DNS query (RD, one question, no EDNS) for the reversed-octet name of address in bl.test.
std::vector<std::uint8_t> queryFor(store::Ip4 address, std::uint16_t qtype)
{
  std::vector<std::uint8_t> q { 0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0 };
  for (int octet = 0; octet < 4; ++octet) {
    auto label = std::to_string((address >> (8 * octet)) & 255);
    q.push_back(static_cast<std::uint8_t>(label.size()));
    q.insert(q.end(), label.begin(), label.end());
  }
  for (const char* label : { "bl", "test" }) {
    q.push_back(static_cast<std::uint8_t>(std::char_traits<char>::length(label)));
    q.insert(q.end(), label, label + std::char_traits<char>::length(label));
  }
  q.insert(q.end(), { 0, static_cast<std::uint8_t>(qtype >> 8), static_cast<std::uint8_t>(qtype), 0, 1 });
  return q;
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
  auto listed = queryFor(entries[12345].first, 1);
  auto listedTxt = queryFor(entries[12345].first, 16);
  auto unlisted = queryFor(0x0f010203, 1); // 15.1.2.3: never listed
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
