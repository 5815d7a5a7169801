#include "shun/admin/self_removal_state.hpp"

#include "admin/editor_steps.hpp"
#include "admin/request_history.hpp"
#include "admin/self_removal.hpp"

#include <algorithm>

namespace shun::admin {
namespace {

// Grants of key within the period: how many are left, and when the next one is possible.
void countGrants(const std::vector<RemovalRequest>& history, const std::string& key, std::int64_t now,
    SelfRemovalState& state)
{
  const auto& policy = state.policy;
  std::vector<std::int64_t> inPeriod;
  std::int64_t last = 0;
  for (const auto& request : history) {
    if (request.key != key || request.outcome != "granted")
      continue;
    last = std::max(last, request.time);
    if (policy.period == 0 || request.time > now - policy.period)
      inPeriod.push_back(request.time);
  }
  std::sort(inPeriod.begin(), inPeriod.end());
  state.left = inPeriod.size() >= policy.max ? 0 : policy.max - static_cast<std::uint32_t>(inPeriod.size());
  if (state.left == 0 && policy.period && !inPeriod.empty()) // the oldest grant leaves the period
    state.next = inPeriod[inPeriod.size() - policy.max] + policy.period;
  if (last && policy.cooldown && now < last + policy.cooldown)
    state.next = std::max(state.next, last + policy.cooldown);
}

// The delisting guards and the key's own entry, as removeAs checks them.
void checkEntry(const ZoneTarget& target, const std::string& text, SelfRemovalState& state)
{
  Refusal refusal;
  auto key = guardedKey(text, target.type, refusal);
  if (!key) {
    state.refusal = "error";
    state.reason = refusal.reason;
    return;
  }
  ManagedZone zone = ManagedZone::loadFocused(target.dataFile, target.type, focusOf({ *key }, target.type));
  state.ownEntry = zone.find(*key) != nullptr;
  auto guard = guardKey(Writer::SelfRemoval, *key, zone, false);
  if (guard && state.refusal.empty()) {
    state.refusal = "refused-protected";
    state.reason = guard->reason + "; only the list operator can remove it.";
  } else if (!state.ownEntry && state.refusal.empty()) {
    state.refusal = "refused-range";
    state.reason = text + " is listed as part of a larger entry that only the list operator can remove.";
  }
}

} // namespace

SelfRemovalState selfRemovalState(const ZoneTarget& target, const std::string& key, std::int64_t now)
{
  SelfRemovalState state;
  try {
    state.policy = policyOf(target.dataFile);
    std::vector<RemovalRequest> history;
    const std::string log = target.dataFile + ".requests";
    withRequestHistory(log, [&](RequestHistory& requests) {
      requests.refresh(log);
      history = requests.granted(key);
    });
    Decision decision = decide(state.policy, history, key, now);
    state.refusal = decision.outcome;
    state.reason = decision.message;
    countGrants(history, key, now, state);
    checkEntry(target, key, state);
  } catch (const std::exception&) {
    state.refusal = "error";
    state.reason = "The list's files cannot be read; please contact the list operator.";
  }
  return state;
}

} // namespace shun::admin
