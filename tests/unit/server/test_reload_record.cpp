#include "server/reload_record.hpp"

#include <catch2/catch.hpp>
#include <thread>

using shun::server::ReloadRecord;
using Action = shun::zone::DatasetReport::Action;

namespace {

shun::zone::LoadResult resultWith(Action action, bool onPrevious = false)
{
  shun::zone::LoadResult result;
  shun::zone::DatasetReport report;
  report.dataset = "ip4set:/d/bl";
  report.action = action;
  report.onPreviousData = onPrevious;
  result.datasets.push_back(report);
  result.diagnostics.push_back({ "/d/bl", 4, "invalid address", true });
  return result;
}

} // namespace

TEST_CASE("reload record: a dataset is on previous data from a kept-previous report until a good load")
{
  ReloadRecord record;
  record.finish(0, "SIGHUP", resultWith(Action::KeptPrevious), {}, 100);
  CHECK(record.onPreviousData("ip4set:/d/bl"));
  record.finish(0, "a journal change", resultWith(Action::ChangeSet, true), {}, 101);
  CHECK(record.onPreviousData("ip4set:/d/bl"));
  record.finish(0, "SIGHUP", resultWith(Action::Loaded), {}, 102);
  CHECK_FALSE(record.onPreviousData("ip4set:/d/bl"));
}

TEST_CASE("reload record: a pass that found nothing keeps the last reload and its errors")
{
  ReloadRecord record;
  record.finish(
      0, "SIGHUP", resultWith(Action::KeptPrevious), { { "ip4set:/d/bl", "/d/bl.journal", 40 } }, 100);
  record.finish(0, "the -c timer", {}, { { "ip4set:/d/bl", "/d/bl.journal", 80 } }, 160);
  auto last = record.lastReload();
  CHECK(last.time == 100);
  CHECK(last.trigger == "SIGHUP");
  REQUIRE(last.diagnostics.size() == 1);
  CHECK(last.diagnostics[0].line == 4);
  CHECK(record.journals().at(0).applied == 80);
}

TEST_CASE("reload record: wait returns once the pass covering the ticket finished, or times out")
{
  ReloadRecord record;
  auto ticket = record.ask();
  CHECK_FALSE(record.wait(ticket, 0.01));
  std::thread reloader([&] { record.finish(record.take(), "shunctl reload", {}, {}, 100); });
  CHECK(record.wait(ticket, 5));
  reloader.join();
}
