#include "shun/control/control.hpp"

#include <catch2/catch.hpp>

using namespace shun::control;

namespace {

Status sampleStatus()
{
  Status status { .version = "1.2.3", .started = 1000, .now = 4723 };
  status.zones.push_back({ "bl.example", 42, 7 });
  DatasetStatus dataset { .dataset = "ip4set:/d/bl.ip4set", .zones = { "bl.example" } };
  dataset.journal = "/d/bl.ip4set.journal";
  dataset.journalBytes = 300;
  dataset.appliedBytes = 200;
  status.datasets.push_back(dataset);
  status.datasets.push_back({ .dataset = "dnset:/d/dbl", .zones = { "dbl.example" } });
  status.lastReload.time = 4700;
  status.lastReload.trigger = "SIGHUP";
  status.lastReload.diagnostics.push_back({ "/d/bl.ip4set", 3, "bad address \"x\"", true });
  return status;
}

Sources fixedSources(Status status, bool reloads = true)
{
  Sources sources;
  sources.status = [status] { return status; };
  sources.reload = [reloads](double) { return reloads; };
  sources.zones = { "bl.example", "dbl.example" };
  return sources;
}

} // namespace

TEST_CASE("control: request lines parse and format back")
{
  CHECK(parseRequest("status") == Request {});
  CHECK(parseRequest("status json") == Request { Request::Command::Status, true, "" });
  CHECK(parseRequest("reload") == Request { Request::Command::Reload, false, "" });
  CHECK(parseRequest("reload bl.example") == Request { Request::Command::Reload, false, "bl.example" });
  CHECK(parseRequest("sync bl.example") == Request { Request::Command::Sync, false, "bl.example" });
  for (const auto& request : { Request {}, Request { Request::Command::Reload, false, "z" } })
    CHECK(parseRequest(formatRequest(request).substr(0, formatRequest(request).size() - 1)) == request);
}

TEST_CASE("control: unknown requests, a sync without a zone and extra words are refused")
{
  CHECK_FALSE(parseRequest(""));
  CHECK_FALSE(parseRequest("stop"));
  CHECK_FALSE(parseRequest("sync"));
  CHECK_FALSE(parseRequest("status text"));
  CHECK_FALSE(parseRequest("reload a b"));
  CHECK(answer("stop", fixedSources(sampleStatus())).rfind("error unknown request 'stop'", 0) == 0);
  CHECK(answer("reload nowhere.example", fixedSources(sampleStatus()))
      == "error unknown zone 'nowhere.example'\n");
}

TEST_CASE("control: status text shows version, uptime, zones, journal lag and the last reload's errors")
{
  auto text = statusText(sampleStatus());
  CHECK(text.find("shund 1.2.3, up 1h 2m 3s\n") == 0);
  CHECK(text.find("zone bl.example: serial 7, 42 entries\n") != std::string::npos);
  CHECK(text.find("200 of 300 bytes applied, lag 100 bytes") != std::string::npos);
  CHECK(text.find("after SIGHUP, nothing published\n  /d/bl.ip4set:3: bad address \"x\"\n")
      != std::string::npos);
}

TEST_CASE("control: status JSON carries the same facts")
{
  auto json = statusJson(sampleStatus());
  CHECK(json.find(R"({"version":"1.2.3","started":1000,"uptime":3723,)") == 0);
  CHECK(json.find(R"({"zone":"bl.example","serial":7,"entries":42})") != std::string::npos);
  CHECK(json.find(R"("journal_bytes":300,"applied_bytes":200,"lag_bytes":100)") != std::string::npos);
  CHECK(json.find(R"({"file":"/d/bl.ip4set","line":3,"message":"bad address \"x\"","error":true})")
      != std::string::npos);
  CHECK(answer("status json", fixedSources(sampleStatus())) == "ok\n" + json);
}

TEST_CASE("control: warnings name previous data and unapplied journal bytes of the zone's datasets only")
{
  Status status = sampleStatus();
  status.datasets[1].previousData = true;
  auto bl = servingWarnings(status, "bl.example");
  REQUIRE(bl.size() == 1);
  CHECK(bl[0] == "shund has not applied 100 byte(s) of /d/bl.ip4set.journal yet");
  auto dbl = servingWarnings(status, "dbl.example");
  REQUIRE(dbl.size() == 1);
  CHECK(dbl[0].find("still serving the previous data of dnset:/d/dbl") != std::string::npos);
  status.datasets[0].appliedBytes = 300;
  CHECK(servingWarnings(status, "bl.example").empty());
}

TEST_CASE("control: sync waits for the journal, then answers ok with the warnings left")
{
  Status lagging = sampleStatus();
  int calls = 0;
  Sources sources = fixedSources(lagging);
  sources.status = [&] {
    Status status = lagging;
    if (++calls > 2)
      status.datasets[0].appliedBytes = 300;
    return status;
  };
  CHECK(answer("sync bl.example", sources, 1.0) == "ok\n");
  CHECK(calls == 3);
  CHECK(answer("sync bl.example", fixedSources(lagging), 0.05)
      == "ok\nshund has not applied 100 byte(s) of /d/bl.ip4set.journal yet\n");
}

TEST_CASE("control: a reload reports its errors, or that it did not finish")
{
  Status status = sampleStatus();
  status.datasets[0].appliedBytes = 300;
  CHECK(answer("reload", fixedSources(status))
      == "ok\n/d/bl.ip4set:3: bad address \"x\"\nreloaded every zone\n");
  status.datasets[0].previousData = true;
  CHECK(answer("reload bl.example", fixedSources(status)).rfind("error the reload left 1 problem(s)\n", 0)
      == 0);
  CHECK(answer("reload", fixedSources(status, false)) == "error the reload did not finish within 60 s\n");
}
