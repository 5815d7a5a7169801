#include "shun/admin/json.hpp"
#include "shun/control/control.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <thread>

namespace shun::control {
namespace {

using admin::jsonString;

std::string_view nextWord(std::string_view& rest)
{
  auto start = rest.find_first_not_of(' ');
  rest = start == std::string_view::npos ? std::string_view() : rest.substr(start);
  auto end = std::min(rest.find(' '), rest.size());
  auto word = rest.substr(0, end);
  rest = rest.substr(end);
  return word;
}

std::string uptimeText(std::int64_t seconds)
{
  std::string text;
  if (seconds >= 86400)
    text += std::to_string(seconds / 86400) + "d ";
  if (seconds >= 3600)
    text += std::to_string(seconds % 86400 / 3600) + "h ";
  if (seconds >= 60)
    text += std::to_string(seconds % 3600 / 60) + "m ";
  return text + std::to_string(seconds % 60) + "s";
}

std::string timeText(std::int64_t unix)
{
  std::time_t time = unix;
  std::tm utc {};
  gmtime_r(&time, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

const char* actionName(zone::DatasetReport::Action action)
{
  switch (action) {
  case zone::DatasetReport::Action::Loaded:
    return "loaded";
  case zone::DatasetReport::Action::ChangeSet:
    return "journal";
  case zone::DatasetReport::Action::KeptPrevious:
    return "kept-previous";
  case zone::DatasetReport::Action::Merged:
    return "merged";
  }
  return "loaded";
}

std::string datasetText(const DatasetStatus& dataset)
{
  std::string text = "dataset " + dataset.dataset;
  if (dataset.previousData)
    text += ": still serving the previous data (its files have errors)";
  if (!dataset.journal.empty())
    text += "\n  journal " + dataset.journal + ": "
        + (dataset.journalBytes < 0
                ? std::string("none")
                : std::to_string(dataset.appliedBytes) + " of " + std::to_string(dataset.journalBytes)
                    + " bytes applied, lag " + std::to_string(dataset.lag()) + " bytes");
  return text + "\n";
}

std::string diagnosticsJson(const std::vector<zone::Diagnostic>& diagnostics)
{
  std::string json = "[";
  for (const auto& diagnostic : diagnostics)
    json += std::string(json.size() > 1 ? "," : "") + "{\"file\":" + jsonString(diagnostic.file)
        + ",\"line\":" + std::to_string(diagnostic.line) + ",\"message\":" + jsonString(diagnostic.message)
        + ",\"error\":" + (diagnostic.error ? "true" : "false") + "}";
  return json + "]";
}

std::string reloadJson(const ReloadStatus& reload)
{
  std::string datasets = "[";
  for (const auto& report : reload.datasets)
    datasets += std::string(datasets.size() > 1 ? "," : "") + "{\"dataset\":" + jsonString(report.dataset)
        + ",\"action\":\"" + actionName(report.action) + "\",\"records\":" + std::to_string(report.records)
        + ",\"previous_data\":"
        + (report.onPreviousData || report.action == zone::DatasetReport::Action::KeptPrevious ? "true"
                                                                                               : "false")
        + "}";
  return "{\"time\":" + std::to_string(reload.time) + ",\"trigger\":" + jsonString(reload.trigger)
      + ",\"published\":" + (reload.published ? "true" : "false")
      + ",\"diagnostics\":" + diagnosticsJson(reload.diagnostics) + ",\"datasets\":" + datasets + "]}";
}

bool servesZone(const DatasetStatus& dataset, std::string_view zone)
{
  return zone.empty() || std::find(dataset.zones.begin(), dataset.zones.end(), zone) != dataset.zones.end();
}

bool lagging(const Status& status, std::string_view zone)
{
  return std::any_of(status.datasets.begin(), status.datasets.end(),
      [&](const DatasetStatus& dataset) { return servesZone(dataset, zone) && dataset.lag() > 0; });
}

bool knownZone(const Sources& sources, std::string_view zone)
{
  return std::find(sources.zones.begin(), sources.zones.end(), zone) != sources.zones.end();
}

std::string lines(const std::vector<std::string>& texts)
{
  std::string text;
  for (const auto& line : texts)
    text += line + "\n";
  return text;
}

std::string reloadReply(const Request& request, const Sources& sources)
{
  constexpr double kReloadWait = 60;
  if (!sources.reload(kReloadWait))
    return "error the reload did not finish within 60 s\n";
  Status status = sources.status();
  auto warnings = servingWarnings(status, request.zone);
  std::string body;
  for (const auto& diagnostic : status.lastReload.diagnostics)
    body += diagnostic.format() + "\n";
  body += lines(warnings);
  if (!warnings.empty())
    return "error the reload left " + std::to_string(warnings.size()) + " problem(s)\n" + body;
  return "ok\n" + body + "reloaded " + (request.zone.empty() ? std::string("every zone") : request.zone)
      + "\n";
}

// shunctl add wrote a journal block just before asking: give the reloader a moment to apply it.
std::string syncReply(const Request& request, const Sources& sources, double seconds)
{
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  Status status = sources.status();
  while (lagging(status, request.zone) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    status = sources.status();
  }
  return "ok\n" + lines(servingWarnings(status, request.zone));
}

} // namespace

std::optional<Request> parseRequest(std::string_view line)
{
  Request request;
  auto command = nextWord(line);
  auto argument = nextWord(line);
  if (!nextWord(line).empty())
    return std::nullopt;
  if (command == "status" && (argument.empty() || argument == "json"))
    request.json = argument == "json";
  else if (command == "reload")
    request.command = Request::Command::Reload;
  else if (command == "sync" && !argument.empty())
    request.command = Request::Command::Sync;
  else
    return std::nullopt;
  if (command != "status")
    request.zone = argument;
  return request;
}

std::string formatRequest(const Request& request)
{
  switch (request.command) {
  case Request::Command::Status:
    return request.json ? "status json\n" : "status\n";
  case Request::Command::Reload:
    return request.zone.empty() ? "reload\n" : "reload " + request.zone + "\n";
  case Request::Command::Sync:
    return "sync " + request.zone + "\n";
  }
  return "status\n";
}

std::string statusText(const Status& status)
{
  std::string text = "shund " + status.version + ", up " + uptimeText(status.now - status.started) + "\n";
  for (const auto& zone : status.zones)
    text += "zone " + zone.zone + ": serial " + std::to_string(zone.serial) + ", "
        + std::to_string(zone.entries) + " entries\n";
  for (const auto& dataset : status.datasets)
    text += datasetText(dataset);
  const auto& reload = status.lastReload;
  if (reload.time == 0)
    return text + "last reload: none since the start\n";
  text += "last reload: " + timeText(reload.time) + " after " + reload.trigger + ", "
      + (reload.published ? "published" : "nothing published") + "\n";
  for (const auto& diagnostic : reload.diagnostics)
    text += "  " + diagnostic.format() + "\n";
  return text;
}

std::string statusJson(const Status& status)
{
  std::string zones = "[", datasets = "[";
  for (const auto& zone : status.zones)
    zones += std::string(zones.size() > 1 ? "," : "") + "{\"zone\":" + jsonString(zone.zone)
        + ",\"serial\":" + std::to_string(zone.serial) + ",\"entries\":" + std::to_string(zone.entries) + "}";
  for (const auto& dataset : status.datasets) {
    std::string names = "[";
    for (const auto& zone : dataset.zones)
      names += std::string(names.size() > 1 ? "," : "") + jsonString(zone);
    datasets += std::string(datasets.size() > 1 ? "," : "") + "{\"dataset\":" + jsonString(dataset.dataset)
        + ",\"zones\":" + names + "],\"previous_data\":" + (dataset.previousData ? "true" : "false")
        + ",\"journal\":" + jsonString(dataset.journal) + ",\"journal_bytes\":"
        + std::to_string(dataset.journalBytes) + ",\"applied_bytes\":" + std::to_string(dataset.appliedBytes)
        + ",\"lag_bytes\":" + std::to_string(dataset.lag()) + "}";
  }
  return "{\"version\":" + jsonString(status.version) + ",\"started\":" + std::to_string(status.started)
      + ",\"uptime\":" + std::to_string(status.now - status.started) + ",\"zones\":" + zones
      + "],\"datasets\":" + datasets + "],\"last_reload\":" + reloadJson(status.lastReload) + "}\n";
}

std::vector<std::string> servingWarnings(const Status& status, std::string_view zone)
{
  std::vector<std::string> warnings;
  for (const auto& dataset : status.datasets) {
    if (!servesZone(dataset, zone))
      continue;
    if (dataset.previousData)
      warnings.push_back("shund is still serving the previous data of " + dataset.dataset
          + ": its files have errors (shunctl status, shund --check)");
    if (dataset.lag() > 0)
      warnings.push_back("shund has not applied " + std::to_string(dataset.lag()) + " byte(s) of "
          + dataset.journal + " yet");
  }
  return warnings;
}

std::string answer(std::string_view line, const Sources& sources, double syncSeconds)
{
  auto request = parseRequest(line);
  if (!request)
    return "error unknown request '" + std::string(line) + "' (status [json], reload [ZONE], sync ZONE)\n";
  if (!request->zone.empty() && !knownZone(sources, request->zone))
    return "error unknown zone '" + request->zone + "'\n";
  switch (request->command) {
  case Request::Command::Status: {
    Status status = sources.status();
    return "ok\n" + (request->json ? statusJson(status) : statusText(status));
  }
  case Request::Command::Reload:
    return reloadReply(*request, sources);
  case Request::Command::Sync:
    return syncReply(*request, sources, syncSeconds);
  }
  return "error\n";
}

} // namespace shun::control
