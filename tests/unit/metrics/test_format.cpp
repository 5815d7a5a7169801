#include "shun/metrics/format.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using namespace shun;

namespace {

// A query packet: header with QDCOUNT 1, the question for labels, type, class.
std::vector<std::uint8_t> queryFor(
    const std::vector<std::string>& labels, std::uint16_t type, std::uint16_t qclass)
{
  std::vector<std::uint8_t> packet { 0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0 };
  for (const auto& label : labels) {
    packet.push_back(static_cast<std::uint8_t>(label.size()));
    packet.insert(packet.end(), label.begin(), label.end());
  }
  packet.push_back(0);
  for (auto value : { type, qclass }) {
    packet.push_back(static_cast<std::uint8_t>(value >> 8));
    packet.push_back(static_cast<std::uint8_t>(value));
  }
  return packet;
}

std::string logLine(const std::vector<std::uint8_t>& query, const query::Result& result)
{
  char buffer[512];
  auto length = metrics::formatQueryLogLine(buffer, 1795379944, "127.0.0.1", query, result);
  return { buffer, length };
}

} // namespace

TEST_CASE("query log: a line has rbldnsd's fields and keeps the query's case")
{
  query::Result result;
  result.length = 89;
  result.rcode = 3;
  CHECK(logLine(queryFor({ "3", "0", "0", "127", "Bl", "example" }, 16, 1), result)
      == "1795379944 127.0.0.1 3.0.0.127.Bl.example TXT IN: NXDOMAIN/0/89\n");
  result.rcode = 0;
  result.answerCount = 2;
  result.length = 54;
  CHECK(logLine(queryFor({ "2", "0", "0", "127", "bl" }, 1, 1), result)
      == "1795379944 127.0.0.1 2.0.0.127.bl A IN: NOERROR/2/54\n");
}

TEST_CASE("query log: unknown types, classes and rcodes are written as rbldnsd does")
{
  query::Result result;
  result.length = 38;
  result.rcode = 4;
  CHECK(logLine(queryFor({ "x", "bl" }, 257, 5), result)
      == "1795379944 127.0.0.1 x.bl type257 class5: NOTIMPL/0/38\n");
  result.rcode = 5;
  CHECK(logLine(queryFor({ "version", "bind" }, 16, 3), result)
      == "1795379944 127.0.0.1 version.bind TXT CH: REFUSED/0/38\n");
}

TEST_CASE("query log: dots, spaces and high bytes inside labels are escaped")
{
  query::Result result;
  result.length = 32;
  result.rcode = 3;
  CHECK(logLine(queryFor({ "a.b", "c d\xff", "bl" }, 1, 1), result)
      == "1795379944 127.0.0.1 a\\.b.c\\032d\\255.bl A IN: NXDOMAIN/0/32\n");
}

TEST_CASE("query log: dropped or unreadable queries are not logged")
{
  query::Result result;
  CHECK(logLine(queryFor({ "a", "bl" }, 1, 1), result).empty()); // length 0: dropped
  result.length = 30;
  auto query = queryFor({ "a", "bl" }, 1, 1);
  query.resize(query.size() - 3); // question cut short
  CHECK(logLine(query, result).empty());
  auto pointer = queryFor({}, 1, 1);
  pointer[12] = 0xc0; // compression pointer in the question
  CHECK(logLine(pointer, result).empty());
}

TEST_CASE("query log: a line that does not fit the buffer is dropped, not cut")
{
  query::Result result;
  result.length = 30;
  char small[20];
  CHECK(metrics::formatQueryLogLine(small, 1795379944, "127.0.0.1", queryFor({ "a", "bl" }, 1, 1), result)
      == 0);
}

TEST_CASE("stats file: zones then the * totals, as rbldnsd writes them")
{
  metrics::StatsReport report;
  report.zones.push_back({ "bl.example", { 3, 1, 2, 175, 297 } });
  report.total = { 4, 1, 2, 223, 322 };
  CHECK(metrics::formatStatsLine(1795379945, report)
      == "1795379945 bl.example:3:1:2:175:297 *:4:1:2:223:322\n");
}

TEST_CASE("stats log: SIGUSR1 lines carry err = tot - ok - nxd")
{
  metrics::StatsReport report;
  report.zones.push_back({ "bl.example", { 17, 6, 7, 951, 650 } });
  report.total = { 29, 6, 7, 1557, 980 };
  auto lines = metrics::formatStatsLog(report, 11);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] == "stats for 11secs zone bl.example: tot=17 ok=6 nxd=7 err=4 in=951 out=650");
  CHECK(lines[1] == "stats for 11sec: tot=29 ok=6 nxd=7 err=16 in=1557 out=980");
}
