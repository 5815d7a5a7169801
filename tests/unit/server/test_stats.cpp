#include "captured_stderr.hpp"
#include "server/stats.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <unistd.h>

using namespace shun;

namespace {

query::Result answered(std::uint8_t rcode, std::size_t length)
{
  static const store::Zone zone;
  query::Result result;
  result.rcode = rcode;
  result.length = length;
  result.zone = &zone;
  return result;
}

std::string slurp(const std::string& path)
{
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

struct Fixture {
  std::string path = "/tmp/shun-stats-" + std::to_string(::getpid()) + ".log";
  metrics::ZoneSlots slots;
  metrics::WorkerCounters first, second;
  Fixture()
  {
    std::remove(path.c_str());
    slots.slotFor("bl.example");
  }
  ~Fixture() { std::remove(path.c_str()); }
};

} // namespace

TEST_CASE("stats file: absolute lines sum every worker; start, reset and exit leave bare timestamps")
{
  Fixture fixture;
  testing::CapturedStderr log;
  server::StatsKeeper stats({ &fixture.first, &fixture.second }, fixture.slots, { fixture.path, false }, 100);
  stats.start(100);
  fixture.first.count(query::Transport::Udp, answered(0, 50), 30, 0);
  fixture.second.count(query::Transport::Tcp, answered(3, 40), 30, 0);
  stats.writeFile(160);
  fixture.first.count(query::Transport::Udp, answered(3, 40), 30, 0);
  stats.writeFile(220);
  stats.report(230, true); // SIGUSR2
  fixture.first.count(query::Transport::Udp, answered(0, 50), 30, 0);
  stats.finish(240);
  CHECK(slurp(fixture.path)
      == "100\n"
         "160 bl.example:2:1:1:60:90 *:2:1:1:60:90\n"
         "220 bl.example:3:1:2:90:130 *:3:1:2:90:130\n"
         "230 bl.example:3:1:2:90:130 *:3:1:2:90:130\n"
         "230\n"
         "240 bl.example:1:1:0:30:50 *:1:1:0:30:50\n"
         "240\n");
  // SIGUSR2 and exit also log rbldnsd's "stats for" lines, covering the time since the last reset.
  CHECK(log.text()
      == "shund: stats for 130secs zone bl.example: tot=3 ok=1 nxd=2 err=0 in=90 out=130\n"
         "shund: stats for 130sec: tot=3 ok=1 nxd=2 err=0 in=90 out=130\n"
         "shund: stats for 10secs zone bl.example: tot=1 ok=1 nxd=0 err=0 in=30 out=50\n"
         "shund: stats for 10sec: tot=1 ok=1 nxd=0 err=0 in=30 out=50\n");
}

TEST_CASE("stats file: with + each line holds the change since the previous line")
{
  Fixture fixture;
  server::StatsKeeper stats({ &fixture.first }, fixture.slots, { fixture.path, true }, 100);
  fixture.first.count(query::Transport::Udp, answered(0, 50), 30, 0);
  stats.writeFile(160);
  fixture.first.count(query::Transport::Udp, answered(3, 40), 20, 0);
  stats.writeFile(220);
  stats.writeFile(280);
  CHECK(slurp(fixture.path)
      == "160 bl.example:1:1:0:30:50 *:1:1:0:30:50\n"
         "220 bl.example:1:0:1:20:40 *:1:0:1:20:40\n"
         "280 bl.example:0:0:0:0:0 *:0:0:0:0:0\n");
}

TEST_CASE("stats: current() counts from the last SIGUSR2 reset")
{
  Fixture fixture;
  testing::CapturedStderr log;
  server::StatsKeeper stats({ &fixture.first }, fixture.slots, {}, 100);
  fixture.first.count(query::Transport::Udp, answered(0, 50), 30, 0);
  stats.report(110, true);
  CHECK(log.text().find("stats for 10secs zone bl.example: tot=1 ok=1") != std::string::npos);
  fixture.first.count(query::Transport::Udp, answered(3, 40), 20, 0);
  auto report = stats.current();
  REQUIRE(report.zones.size() == 1);
  CHECK(report.zones[0].second == metrics::ZoneCounters { 1, 0, 1, 20, 40 });
}
