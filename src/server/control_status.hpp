#pragma once

#include "server/reloader.hpp"
#include "server/snapshot_holder.hpp"
#include "shun/config/config.hpp"
#include "shun/control/control.hpp"

namespace shun::server {

/// The control channel's view of a serving shund: zones from the served snapshot, datasets and reloads
/// from the reloader's record, journal sizes from disk. holder and reloader outlive the control thread.
control::Sources controlSources(const config::RuntimeConfig& runtime, const SnapshotHolder& holder,
    Reloader& reloader, std::int64_t started);

} // namespace shun::server
