#include "captured_stderr.hpp"
#include "server/descriptors.hpp"
#include "server/tcp_clients.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <catch2/catch.hpp>
#include <netinet/in.h>
#include <sys/resource.h>

using namespace shun::server;

TEST_CASE("descriptors: the caps fit under the limit with a reserve kept")
{
  auto plan = planDescriptors(1024, 30, 1024, 256);
  CHECK(plan.reserve >= 94);
  CHECK(plan.tcp + plan.http + plan.reserve <= 1024);
  CHECK(plan.http <= (1024 - plan.reserve) / 4);
  CHECK(plan.tcp < 1024);
}

TEST_CASE("descriptors: a large limit keeps the wanted caps")
{
  auto plan = planDescriptors(1 << 20, 30, 1024, 256);
  CHECK(plan.tcp == 1024);
  CHECK(plan.http == 256);
}

TEST_CASE("descriptors: without the web page DNS over TCP gets every usable descriptor")
{
  auto plan = planDescriptors(1024, 30, 1024, 0);
  CHECK(plan.http == 0);
  CHECK(plan.tcp == 1024 - plan.reserve);
}

TEST_CASE("descriptors: a tiny limit still leaves one connection each")
{
  auto plan = planDescriptors(20, 30, 1024, 256);
  CHECK(plan.tcp == 1);
  CHECK(plan.http == 1);
}

TEST_CASE("descriptors: the soft limit is raised to the hard limit")
{
  rlimit before {};
  REQUIRE(getrlimit(RLIMIT_NOFILE, &before) == 0);
  rlimit lowered = before;
  lowered.rlim_cur = std::min<rlim_t>(before.rlim_max, 256);
  REQUIRE(setrlimit(RLIMIT_NOFILE, &lowered) == 0);
  std::uint64_t limit = raiseDescriptorLimit();
  rlimit after {};
  REQUIRE(getrlimit(RLIMIT_NOFILE, &after) == 0);
  CHECK(after.rlim_cur == before.rlim_max);
  CHECK((before.rlim_max == RLIM_INFINITY || limit == before.rlim_max));
  CHECK(openDescriptors() >= 3);
}

namespace {

sockaddr_storage ip4(const char* text)
{
  sockaddr_storage storage {};
  auto& in = reinterpret_cast<sockaddr_in&>(storage);
  in.sin_family = AF_INET;
  inet_pton(AF_INET, text, &in.sin_addr);
  return storage;
}

} // namespace

TEST_CASE("tcp clients: one address holds at most its share, and a close frees a slot")
{
  TcpClientCounts counts(2);
  CHECK(counts.tryAdd(ip4("192.0.2.1")));
  CHECK(counts.tryAdd(ip4("192.0.2.1")));
  CHECK_FALSE(counts.tryAdd(ip4("192.0.2.1")));
  CHECK(counts.tryAdd(ip4("192.0.2.2")));
  counts.remove(ip4("192.0.2.1"));
  CHECK(counts.tryAdd(ip4("192.0.2.1")));
  counts.remove(ip4("192.0.2.1"));
  counts.remove(ip4("192.0.2.1"));
  counts.remove(ip4("192.0.2.2"));
  CHECK(counts.clients() == 0);
}

TEST_CASE("throttled warning: one line per interval, then the count held back")
{
  shun::testing::CapturedStderr captured;
  ThrottledWarning warning(10);
  for (int second = 0; second < 1000; ++second)
    warning.warn("cannot accept", 1000 + second / 100); // 1000 failures in 10 s
  warning.warn("cannot accept", 1010);
  std::string text = captured.text();
  CHECK(std::count(text.begin(), text.end(), '\n') == 2);
  CHECK(text.find("(999 more since the last report)") != std::string::npos);
}
