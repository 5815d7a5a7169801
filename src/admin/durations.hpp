#pragma once

#include "shun/admin/duration.hpp"
#include "shun/listing/directives.hpp"

#include <cstdint>

namespace shun::admin {

/// The outcome of escalation: how long the new listing lasts and its escalation level (0: first offence
/// or the previous listing is older than the window).
struct Escalation {
  std::int64_t duration = 0;
  std::uint32_t level = 0;
};

/// Duration of a new listing for a key whose previous listing (if any: previousListed > 0, unix seconds)
/// had escalation level previousLevel. Pure arithmetic: now is passed in.
Escalation escalate(const listing::EscalationPolicy& policy, std::uint32_t previousLevel,
    std::int64_t previousListed, std::int64_t now);

} // namespace shun::admin
