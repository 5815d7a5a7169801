#pragma once

#include "shun/admin/editor.hpp"
#include "shun/listing/directives.hpp"

#include <cstdint>
#include <string>

namespace shun::admin {

/// What a self-removal of one key would come to now, for the lookup page to say before anyone asks.
struct SelfRemovalState {
  listing::SelfRemovalPolicy policy; ///< the zone's #@selfremoval line (not allowed without one)
  std::uint32_t left = 0; ///< granted self-removals of this key still possible within the period
  std::int64_t next = 0; ///< when the next one becomes possible (unix seconds); 0: now or never
  bool ownEntry = false; ///< the key is listed by an entry of its own (not only by a range or wildcard)
  /// What ZoneEditor::selfRemove would log if asked now: refused-policy, refused-limit, refused-cooldown,
  /// refused-protected, refused-range or error; empty: it would be granted (or queued past the budget)
  std::string refusal;
  std::string reason; ///< a sentence for the visitor when refused
};

/// Predicts ZoneEditor::selfRemove for key (listed: the live snapshot serves it) at now, reading the data
/// file, its journal and requests log without writing or locking anything: a page view must not wait
/// for a long `shunctl import`, and the removal itself decides again. Never throws.
SelfRemovalState selfRemovalState(const ZoneTarget& target, const std::string& key, std::int64_t now);

} // namespace shun::admin
