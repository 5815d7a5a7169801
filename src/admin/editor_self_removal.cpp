#include "admin/editor_steps.hpp"
#include "admin/request_history.hpp"
#include "admin/safe_file.hpp"
#include "admin/self_removal.hpp"
#include "shun/admin/editor.hpp"
#include "shun/admin/zone_head.hpp"

#include <algorithm>
#include <sstream>
#include <sys/stat.h>

namespace shun::admin {

std::string readZoneHead(const std::string& dataFile)
{
  return readFileOrEmpty(resolveDataFile(dataFile), 65536);
}

listing::SelfRemovalPolicy policyOf(const std::string& dataFile)
{
  std::istringstream head(readZoneHead(dataFile));
  listing::SelfRemovalPolicy policy;
  for (std::string line; std::getline(head, line);) {
    listing::Directive directive = listing::parseDirective(line);
    if (directive.kind == listing::Directive::Kind::SelfRemoval)
      policy = directive.error.empty() ? directive.selfRemoval : listing::SelfRemovalPolicy {};
  }
  return policy;
}

namespace {

EditResult answered(Outcome outcome, std::string logged, const std::string& key, std::string reason)
{
  EditResult result;
  result.outcome = outcome;
  result.logged = std::move(logged);
  result.keys.push_back({ key, outcome, std::move(reason), "", 0 });
  return result;
}

constexpr std::int64_t kHour = 3600;
constexpr std::uint64_t kRotateBytes = std::uint64_t { 4 } << 20; // the requests log moves aside beyond this

// How far back decisions look: the policy's period, and the hour of the zone's budget.
std::int64_t window(const listing::SelfRemovalPolicy& policy)
{
  return std::max(policy.period, kHour);
}

EditResult decideAndRemove(const ZoneTarget& target, const listing::SelfRemovalPolicy& policy,
    const std::string& key, const std::string& client, bool served, std::int64_t now)
{
  std::vector<RemovalRequest> history;
  std::size_t zoneGrants = 0;
  const std::string log = target.dataFile + ".requests";
  try {
    withRequestHistory(log, [&](RequestHistory& requests) {
      requests.refresh(log); // only the lines appended since the last request are read
      if (policy.period > 0)
        requests.forget(now - window(policy));
      history = requests.granted(key);
      zoneGrants = requests.grantedSince(now - kHour);
    });
  } catch (const std::exception&) {
    return answered(
        Outcome::Failed, "error", key, "The request log cannot be read; please contact the list operator.");
  }
  Decision decision = decide(policy, history, key, now);
  if (!decision.outcome.empty())
    return answered(Outcome::Refused, decision.outcome, key, decision.message);
  if (!served)
    return answered(Outcome::NotListed, "not-listed", key, key + " is not listed in " + target.zone + ".");
  if (policy.budget && zoneGrants >= policy.budget) // a flood of removals waits for a person
    return answered(Outcome::Refused, "queued", key,
        "Many removals were requested from " + target.zone
            + " in the last hour, so yours has been queued for the list operator, who will review it.");
  listing::Listing why;
  why.added = now;
  why.reason = "self-removal";
  why.by = "self-removal from " + client;
  EditResult result = removeAs(Writer::SelfRemoval, target, { key }, why);
  std::string reason = result.keys.empty() ? result.reason : result.keys.front().reason;
  switch (result.outcome) {
  case Outcome::Done:
    return answered(Outcome::Done, "granted", key,
        key + " has been removed from " + target.zone + "; it stops being listed within a second.");
  case Outcome::Refused:
    return answered(
        Outcome::Refused, "refused-protected", key, reason + "; only the list operator can remove it.");
  case Outcome::NotListed: // served, but by a covering entry rather than its own
    return answered(Outcome::Refused, "refused-range", key,
        key + " is listed as part of a larger entry that only the list operator can remove.");
  default:
    return answered(result.outcome, "error", key, reason + ".");
  }
}

// A log past kRotateBytes moves aside before it is read, so it is read whole at most once.
void rotateIfLarge(const ZoneTarget& target, const listing::SelfRemovalPolicy& policy, std::int64_t now)
{
  const std::string log = target.dataFile + ".requests";
  struct stat info { };
  if (::stat(log.c_str(), &info) != 0 || static_cast<std::uint64_t>(info.st_size) <= kRotateBytes)
    return;
  ZoneLock lock(target.dataFile); // not on every request: a long shunctl import holds it
  rotateRequests(log, kRotateBytes, policy.period > 0 ? now - window(policy) : 0, lock.owner());
}

} // namespace

EditResult ZoneEditor::selfRemove(
    const std::string& key, const std::string& client, bool served, std::int64_t now) const
{
  EditResult result;
  try {
    listing::SelfRemovalPolicy policy = policyOf(d_target.dataFile);
    rotateIfLarge(d_target, policy, now);
    result = decideAndRemove(d_target, policy, key, client, served, now);
  } catch (const std::exception& error) { // the visitor gets a plain sentence, shund's log the cause
    result = answered(
        Outcome::Failed, "error", key, "The removal could not be written; please contact the list operator.");
    result.reason = error.what();
  }
  try { // every request, granted or not, is logged beside the data file for `shunctl requests`
    appendDurably(d_target.dataFile + ".requests", formatRequest({ now, key, client, result.logged }),
        zoneOwner(d_target.dataFile));
  } catch (const std::exception& error) {
    result.reason += (result.reason.empty() ? "" : "; ") + std::string(error.what());
  }
  return result;
}

} // namespace shun::admin
