#pragma once

#include "shun/store/dataset.hpp"

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace shun::admin {

/// The zone a command works on: its name and the data file shunctl manages for it.
struct ZoneTarget {
  std::string zone;
  std::string dataFile;
  store::DatasetType type = store::DatasetType::Ip4Trie;
};

/// Options of `shunctl add` (also used by import).
struct AddOptions {
  std::vector<std::string> keys;
  std::string code; ///< "127.0.0.N" or "N"; empty: the zone file's default
  std::string reason, evidence, source, by;
  std::uint32_t ttl = 0; ///< seconds; 0: dataset TTL
  std::optional<std::int64_t> duration; ///< --for, seconds
  std::optional<std::int64_t> until; ///< --until, unix seconds
  bool force = false; ///< list even if a protected key overlaps
};

/// Exit codes, documented in `shunctl --help` and shunctl(8).
enum ExitCode : int { kOk = 0, kFailed = 1, kBadArgument = 2, kRefused = 3, kNotListed = 4 };

/// Each command validates every argument before it writes anything, holds the zone lock while it reads
/// and writes, prints results to out and one-line errors to err, and returns an ExitCode.
int addKeys(const ZoneTarget& target, const AddOptions& options, std::int64_t now, std::ostream& out,
    std::ostream& err);
int removeKeys(const ZoneTarget& target, const std::vector<std::string>& keys, const std::string& reason,
    const std::string& by, std::int64_t now, std::ostream& out, std::ostream& err);
int showKey(const ZoneTarget& target, const std::string& key, bool json, std::int64_t now, std::ostream& out,
    std::ostream& err);

/// Which entries `list` prints.
struct ListFilter {
  bool expiredOnly = false;
  std::optional<std::int64_t> expiringWithin; ///< seconds
};
int listKeys(const ZoneTarget& target, const ListFilter& filter, bool json, std::int64_t now,
    std::ostream& out, std::ostream& err);
int expireZone(const ZoneTarget& target, std::int64_t now, std::ostream& out, std::ostream& err);
int exportZone(const ZoneTarget& target, std::ostream& out, std::ostream& err);
int importFile(const ZoneTarget& target, const std::string& file, const AddOptions& defaults,
    std::int64_t now, std::ostream& out, std::ostream& err);

/// Reads keys for `add -f`: one per line, '#' comments and blank lines skipped.
std::vector<std::string> readKeyList(std::istream& in);

} // namespace shun::admin
