#include "admin/editor_steps.hpp"
#include "admin/safe_file.hpp"
#include "admin/self_removal.hpp"
#include "shun/admin/editor.hpp"
#include "shun/admin/zone_head.hpp"

#include <sstream>

namespace shun::admin {

std::string readZoneHead(const std::string& dataFile)
{
  return readFileOrEmpty(resolveDataFile(dataFile), 65536);
}

namespace {

// A malformed #@selfremoval line allows nothing.
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

EditResult answered(Outcome outcome, std::string logged, const std::string& key, std::string reason)
{
  EditResult result;
  result.outcome = outcome;
  result.logged = std::move(logged);
  result.keys.push_back({ key, outcome, std::move(reason), "", 0 });
  return result;
}

EditResult decideAndRemove(const ZoneTarget& target, const std::string& key, const std::string& client,
    bool served, std::int64_t now)
{
  std::vector<RemovalRequest> history;
  try {
    history = parseRequests(readFileOrEmpty(target.dataFile + ".requests"));
  } catch (const std::exception&) {
    return answered(
        Outcome::Failed, "error", key, "The request log cannot be read; please contact the list operator.");
  }
  Decision decision = decide(policyOf(target.dataFile), history, key, now);
  if (!decision.outcome.empty())
    return answered(Outcome::Refused, decision.outcome, key, decision.message);
  if (!served)
    return answered(Outcome::NotListed, "not-listed", key, key + " is not listed in " + target.zone + ".");
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

} // namespace

EditResult ZoneEditor::selfRemove(
    const std::string& key, const std::string& client, bool served, std::int64_t now) const
{
  EditResult result;
  try {
    result = decideAndRemove(d_target, key, client, served, now);
  } catch (const std::exception&) {
    result = answered(
        Outcome::Failed, "error", key, "The removal could not be written; please contact the list operator.");
  }
  try { // every request, granted or not, is logged beside the data file for `shunctl requests`
    appendDurably(d_target.dataFile + ".requests", formatRequest({ now, key, client, result.logged }));
  } catch (const std::exception&) {
  }
  return result;
}

} // namespace shun::admin
