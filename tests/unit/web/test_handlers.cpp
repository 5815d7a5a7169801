#include "temp_dir.hpp"
#include "web/handlers.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <unistd.h>

using namespace shun;
using namespace shun::web;

namespace {

constexpr std::int64_t kNow = 1795000000; // 2026-11-17

// A zone file in a fresh temporary directory, loaded into a snapshot the handlers serve.
struct Fixture {
  shuntest::TempDir temp;
  std::string dir { temp.path() };
  std::shared_ptr<const store::Snapshot> snapshot;
  int reloads = 0;
  Fixture()
  {
    std::ofstream(dir + "/bl") << "#@selfremoval allowed=yes max=1 per=30d\n:127.0.0.2:see $\n"
                               << "#@ added=2026-11-01T00:00:00Z expires=2026-12-31T00:00:00Z "
                                  "evidence=\"<script>x</script>\" note=\"operator secret\"\n192.0.2.7\n"
                               << "#@ expires=2026-11-02T00:00:00Z\n192.0.2.8\n";
    zone::LoadOptions options;
    options.now = kNow;
    auto result = zone::loadSnapshot({ zone::parseZoneSpec("bl.example:ip4set:" + dir + "/bl") }, options);
    REQUIRE(result.snapshot);
    snapshot = result.snapshot;
  }
  Handlers handlers()
  {
    WebSources sources;
    sources.snapshot = [this] { return snapshot; };
    sources.reload = [this] { ++reloads; };
    sources.zones = { zone::parseZoneSpec("bl.example:ip4set:" + dir + "/bl") };
    return Handlers(std::move(sources));
  }
};

Response get(Handlers& handlers, const std::string& target, std::int64_t ms = 0)
{
  return handlers.handle({ "GET", target, "", "198.51.100.1" }, kNow, ms);
}

} // namespace

TEST_CASE("web handlers: a listed key shows escaped public evidence and never the private note")
{
  Fixture fixture;
  auto handlers = fixture.handlers();
  auto page = get(handlers, "/lookup/192.0.2.7");
  CHECK(page.status == 200);
  CHECK(page.body.find("&lt;script&gt;x&lt;/script&gt;") != std::string::npos);
  CHECK(page.body.find("<script>") == std::string::npos);
  CHECK(page.body.find("operator secret") == std::string::npos);
  CHECK(page.body.find("action=\"/remove\"") != std::string::npos);
}

TEST_CASE("web handlers: unlisted and expired keys are reported as not listed")
{
  Fixture fixture;
  auto handlers = fixture.handlers();
  CHECK(get(handlers, "/api/v1/lookup/192.0.2.9").body.find("\"listed\":false") != std::string::npos);
  CHECK(get(handlers, "/api/v1/lookup/192.0.2.8").body.find("\"listed\":false") != std::string::npos);
  CHECK(get(handlers, "/api/v1/lookup/192.0.2.7").body.find("\"listed\":true") != std::string::npos);
}

TEST_CASE("web handlers: bad keys give 400, unknown paths 404, other methods 405, long targets 413")
{
  Fixture fixture;
  auto handlers = fixture.handlers();
  CHECK(get(handlers, "/lookup/192.0.2.0%2F24").status == 400);
  CHECK(get(handlers, "/api/v1/lookup/%3Cscript%3E").status == 400);
  CHECK(get(handlers, "/nothing").status == 404);
  CHECK(handlers.handle({ "OTHER", "/", "", "a" }, kNow, 0).status == 405);
  CHECK(get(handlers, "/lookup/" + std::string(3000, 'a')).status == 413);
}

TEST_CASE("web handlers: a flood of removal posts from one address is answered 429")
{
  Fixture fixture;
  auto handlers = fixture.handlers();
  int limited = 0;
  for (int i = 0; i < 10; ++i)
    limited
        += handlers.handle({ "POST", "/remove", "key=1.2.3.4&zone=bl.example", "a" }, kNow, 0).status == 429;
  CHECK(limited == 5);
}

TEST_CASE("web handlers: metrics lines are valid exposition format with shun_<module>_ and process_ names")
{
  Fixture fixture;
  auto handlers = fixture.handlers();
  auto metrics = get(handlers, "/metrics");
  CHECK(metrics.status == 200);
  std::regex sample(
      R"((shun_(server|zone|web|build)|process)_[a-z_]+(\{([a-z_]+="[^"\\]*",?)+\})? [0-9.e+]+)");
  std::regex comment(R"(# (HELP|TYPE) (shun|process)_[a-z_]+ .+)");
  std::istringstream in(metrics.body);
  std::string line;
  int samples = 0;
  while (std::getline(in, line)) {
    INFO(line);
    CHECK((std::regex_match(line, sample) || std::regex_match(line, comment)));
    samples += line[0] != '#';
  }
  CHECK(samples > 3);
  CHECK(metrics.body.find("shun_zone_entries{zone=\"bl.example\"} 2") != std::string::npos);
}

namespace {

std::string tokenOf(const std::string& page)
{
  std::smatch match;
  REQUIRE(std::regex_search(page, match, std::regex("name=\"token\" value=\"([0-9]+\\.[0-9a-f]+)\"")));
  return match[1];
}

Response post(Handlers& handlers, const std::string& body, std::map<std::string, std::string> headers,
    const std::string& client = "198.51.100.1", std::int64_t now = kNow)
{
  headers.emplace("content-type", "application/x-www-form-urlencoded");
  return handlers.handle({ "POST", "/remove", body, client, headers }, now, 0);
}

} // namespace

TEST_CASE("web handlers: a removal needs the token of a form this server rendered for that key")
{
  Fixture fixture;
  auto handlers = fixture.handlers();
  std::string token = tokenOf(get(handlers, "/lookup/192.0.2.7").body);
  std::string form = "key=192.0.2.7&zone=bl.example&token=";
  CHECK(post(handlers, form, {}).status == 403);
  CHECK(post(handlers, form + "1795000000.00", {}).status == 403);
  CHECK(post(handlers, "key=192.0.2.8&zone=bl.example&token=" + token, {}).status == 404); // not listed
  CHECK(post(handlers, form + token, {}, "198.51.100.1", kNow + 3601).status == 403); // expired
  CHECK(post(handlers, form + token, {}).status == 200);
  CHECK(fixture.reloads == 1);
}

TEST_CASE("web handlers: a cross-site or non-form removal post is refused")
{
  Fixture fixture;
  auto handlers = fixture.handlers();
  std::string body
      = "key=192.0.2.7&zone=bl.example&token=" + tokenOf(get(handlers, "/lookup/192.0.2.7").body);
  CHECK(post(handlers, body, { { "host", "bl.example.org" }, { "origin", "http://evil.example" } }).status
      == 403);
  CHECK(post(handlers, body, { { "host", "bl.example.org" }, { "origin", "null" } }).status == 403);
  CHECK(post(handlers, body,
            { { "host", "bl.example.org" }, { "referer", "https://evil.example/bl.example.org/" } })
            .status
      == 403);
  CHECK(
      handlers
          .handle({ "POST", "/remove", body, "198.51.100.1", { { "content-type", "text/plain" } } }, kNow, 0)
          .status
      == 415);
  CHECK(fixture.reloads == 0);
  CHECK(post(handlers, body,
            { { "host", "127.0.0.1:8053" }, { "x-forwarded-host", "bl.example.org" },
                { "origin", "https://bl.example.org" } })
            .status
      == 200); // behind a reverse proxy
}

TEST_CASE("web handlers: removal posts from many addresses of one /24 or /56 share a limit")
{
  Fixture fixture;
  auto handlers = fixture.handlers();
  int limited = 0;
  for (int host = 1; host <= 40; ++host)
    limited
        += post(handlers, "key=1.2.3.4&zone=bl.example", {}, "192.0.2." + std::to_string(host)).status == 429;
  CHECK(limited == 30);
  limited = 0;
  for (int net = 1; net <= 40; ++net) // different /64s of one /56
    limited += post(handlers, "key=1.2.3.4&zone=bl.example", {}, "2001:db8:0:" + std::to_string(net) + "::1")
                   .status
        == 429;
  CHECK(limited == 30);
  limited = 0;
  for (int host = 1; host <= 10; ++host) // one /64 is one client
    limited
        += post(handlers, "key=1.2.3.4&zone=bl.example", {}, "2001:db8:1:1::" + std::to_string(host)).status
        == 429;
  CHECK(limited == 5);
}

TEST_CASE("web rate limit: client networks are /24 and /56 prefixes")
{
  CHECK(clientNetwork("192.0.2.77", 24, 56) == "192.0.2.0/24");
  CHECK(clientNetwork("2001:db8:aa:bbcc::1", 24, 56) == "2001:db8:aa:bb00::/56");
  CHECK(clientNetwork("2001:db8::1", 32, 64) == "2001:db8::/64");
  CHECK(clientNetwork("unknown", 24, 56) == "unknown");
}
