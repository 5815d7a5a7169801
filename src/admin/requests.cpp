#include "admin/request_history.hpp"
#include "admin/safe_file.hpp"
#include "admin/self_removal.hpp"
#include "shun/admin/commands.hpp"
#include "shun/admin/editor.hpp"
#include "shun/admin/json.hpp"
#include "shun/listing/listing.hpp"

#include <algorithm>
#include <ostream>

namespace shun::admin {
namespace {

std::vector<RemovalRequest> readLog(const ZoneTarget& target)
{
  const std::string path = target.dataFile + ".requests";
  return parseRequests(readFileOrEmpty(path + ".1") + readFileOrEmpty(path));
}

} // namespace

int listRequests(const ZoneTarget& target, const std::string& key, bool pending, bool json, std::ostream& out,
    std::ostream&)
{
  bool first = true;
  if (json)
    out << "[";
  else
    out << "# time key requester outcome\n";
  auto log = readLog(target);
  for (const RemovalRequest& request : pending ? pendingRequests(log) : log) {
    if (!key.empty() && request.key != key)
      continue;
    std::string time = listing::formatUtcTime(request.time);
    if (json)
      out << (first ? "" : ",") << "\n  {\"time\":" << jsonString(time)
          << ",\"key\":" << jsonString(request.key) << ",\"requester\":" << jsonString(request.client)
          << ",\"outcome\":" << jsonString(request.outcome) << "}";
    else
      out << time << ' ' << request.key << ' ' << request.client << ' ' << request.outcome << '\n';
    first = false;
  }
  if (json)
    out << (first ? "]\n" : "\n]\n");
  return out ? kOk : kFailed;
}

int decideRequest(const ZoneTarget& target, const std::string& key, bool approve, const std::string& by,
    std::int64_t now, std::ostream& out, std::ostream& err)
{
  auto pending = pendingRequests(readLog(target));
  if (std::none_of(pending.begin(), pending.end(), [&](const auto& request) { return request.key == key; })) {
    err << "shunctl: no queued self-removal request for " << key << " in " << target.zone << "\n";
    return kNotListed;
  }
  std::string who = by.empty() || by.find_first_of(" \t\n") != std::string::npos ? "operator" : by;
  if (approve) {
    EditResult result = ZoneEditor(target).remove({ key }, "self-removal approved", who, now);
    if (result.outcome != Outcome::Done && result.outcome != Outcome::NotListed) {
      err << "shunctl: " << key << ": " << (result.keys.empty() ? result.reason : result.keys.front().reason)
          << "\n";
      return exitCode(result.outcome);
    }
  }
  appendDurably(target.dataFile + ".requests",
      formatRequest({ now, key, who, approve ? "approved" : "denied" }), zoneOwner(target.dataFile));
  out << key << (approve ? " removed from " : " stays listed in ") << target.zone << "; request "
      << (approve ? "approved" : "denied") << "\n";
  return kOk;
}

} // namespace shun::admin
