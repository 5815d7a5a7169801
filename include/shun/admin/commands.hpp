#pragma once

#include "shun/admin/editor.hpp"

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace shun::admin {

/// Exit codes, documented in `shunctl --help` and shunctl(8).
enum ExitCode : int { kOk = 0, kFailed = 1, kBadArgument = 2, kRefused = 3, kNotListed = 4 };

/// shunctl's writing commands: each runs the ZoneEditor operation of the same name and renders its
/// result: what was done on out, one line per failure on err ("file:line: reason" for an import line,
/// "shunctl: reason" otherwise). Returns the ExitCode of the result's outcome.
int addKeys(const ZoneTarget& target, const AddOptions& options, std::int64_t now, std::ostream& out,
    std::ostream& err);
int removeKeys(const ZoneTarget& target, const std::vector<std::string>& keys, const std::string& reason,
    const std::string& by, std::int64_t now, std::ostream& out, std::ostream& err);
int expireZone(const ZoneTarget& target, bool dryRun, std::int64_t now, std::ostream& out, std::ostream& err);
int importFile(const ZoneTarget& target, const ImportOptions& options, std::int64_t now, std::ostream& out,
    std::ostream& err);

/// Prints what the zone serves for key, the entry and its metadata, as text or JSON.
int showKey(const ZoneTarget& target, const std::string& key, bool json, std::int64_t now, std::ostream& out,
    std::ostream& err);

/// Which entries `list` prints.
struct ListFilter {
  bool expiredOnly = false;
  std::optional<std::int64_t> expiringWithin; ///< seconds
};
int listKeys(const ZoneTarget& target, const ListFilter& filter, bool json, std::int64_t now,
    std::ostream& out, std::ostream& err);
int exportZone(const ZoneTarget& target, std::ostream& out, std::ostream& err);

/// Reads keys for `add -f`: one per line, '#' comments and blank lines skipped.
std::vector<std::string> readKeyList(std::istream& in);

/// `shunctl requests`: prints the zone's self-removal requests ("<data file>.requests" after the rotated
/// "<data file>.requests.1", written by shund's web page: time, key, requester address, outcome), oldest
/// first, optionally for one key, or (pending) only those queued and not yet approved or denied.
int listRequests(const ZoneTarget& target, const std::string& key, bool pending, bool json, std::ostream& out,
    std::ostream& err);

/// `shunctl requests --approve KEY` / `--deny KEY`: decides a queued self-removal. Approving removes the
/// key as `remove` does; either way the decision is appended to the requests log. NotListed (4) if no
/// request for key is pending.
int decideRequest(const ZoneTarget& target, const std::string& key, bool approve, const std::string& by,
    std::int64_t now, std::ostream& out, std::ostream& err);

/// Finds the data file shunctl manages for zone: the first file of the zone's first IP or name dataset,
/// among zoneSpecs ("zone:type:file,...") or, if none are given, the zones of shund's configuration file
/// (read by config::readConfigFile, as shund reads it). Throws std::invalid_argument naming the zone and
/// what is known, config::ConfigError for a configuration shund would refuse.
ZoneTarget resolveZoneTarget(
    const std::string& zone, const std::vector<std::string>& zoneSpecs, const std::string& configFile);

} // namespace shun::admin
