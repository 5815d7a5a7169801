#pragma once

#include "admin/commands.hpp"

#include <iosfwd>
#include <string>

namespace shun::admin {

/// `shunctl requests`: prints the zone's self-removal requests ("<data file>.requests", written by
/// shund's web page: time, key, requester address, outcome), oldest first, optionally for one key.
int listRequests(
    const ZoneTarget& target, const std::string& key, bool json, std::ostream& out, std::ostream& err);

} // namespace shun::admin
