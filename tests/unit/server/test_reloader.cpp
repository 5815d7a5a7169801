#include "captured_stderr.hpp"
#include "server/reloader.hpp"

#include <catch2/catch.hpp>

using namespace shun;

namespace {

std::vector<zone::Diagnostic> diagnostics(std::size_t errors, std::size_t warnings)
{
  std::vector<zone::Diagnostic> out;
  for (std::size_t i = 0; i < errors; ++i)
    out.push_back({ "bl.zone", static_cast<std::uint32_t>(i + 1), "invalid address \"x\"", true });
  for (std::size_t i = 0; i < warnings; ++i)
    out.push_back(
        { "bl.zone", static_cast<std::uint32_t>(1000 + i), "duplicated entry for 192.0.2.1", false });
  return out;
}

std::size_t countLines(const std::string& text, std::string_view part)
{
  std::size_t count = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1))
    ++count;
  return count;
}

} // namespace

TEST_CASE("reload log: a few diagnostics are logged one by one with file:line")
{
  testing::CapturedStderr log;
  server::logDiagnostics(diagnostics(2, 1));
  CHECK(log.text()
      == "shund: bl.zone:1: invalid address \"x\"\n"
         "shund: bl.zone:2: invalid address \"x\"\n"
         "shund: bl.zone:1000: warning: duplicated entry for 192.0.2.1\n");
}

TEST_CASE("reload log: beyond the limit per kind, the rest is counted and --check is named")
{
  testing::CapturedStderr log;
  server::logDiagnostics(diagnostics(server::kLoggedPerKind + 5, server::kLoggedPerKind + 30));
  std::string text = log.text();
  CHECK(countLines(text, "invalid address") == server::kLoggedPerKind);
  CHECK(countLines(text, "duplicated entry") == server::kLoggedPerKind);
  CHECK(text.find("shund: 5 more errors not logged (shund --check lists them all)\n") != std::string::npos);
  CHECK(
      text.find("shund: 30 more warnings not logged (shund --check lists them all)\n") != std::string::npos);
}

TEST_CASE("reload log: each dataset says whether it was loaded, changed by a change set, or kept")
{
  using Action = zone::DatasetReport::Action;
  testing::CapturedStderr log;
  server::logDatasets({ { "ip4set:big", Action::Loaded, 0, 1.5 },
      { "ip4set:small", Action::ChangeSet, 3, 0.002 }, { "ip4set:broken", Action::KeptPrevious, 0, 0.1 },
      { "ip4set:broken", Action::ChangeSet, 1, 0.001, true } });
  CHECK(log.text()
      == "shund: loaded ip4set:big in 1.500 s\n"
         "shund: applied 3 journal record(s) to ip4set:small in 0.002 s\n"
         "shund: still serving the previous data of ip4set:broken\n"
         "shund: applied 1 journal record(s) to ip4set:broken in 0.001 s (still serving the previous data of "
         "ip4set:broken: its files have errors)\n");
}
