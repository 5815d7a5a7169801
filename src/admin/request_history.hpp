#pragma once

#include "admin/safe_file.hpp"
#include "admin/self_removal.hpp"

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

// What a zone's requests log says about earlier self-removals, kept in memory so that a POST reads only
// the lines appended since the last one (a log of a million lines is read once, not on every request).
namespace shun::admin {

/// Granted removals per key and for the whole zone, from one "<data file>.requests". Not thread-safe.
class RequestHistory {
public:
  /// Reads what was appended to path since the last call; starts over when path was replaced or shrank.
  /// Throws FileError.
  void refresh(const std::string& path);
  /// The granted requests of key (for decide()).
  std::vector<RemovalRequest> granted(const std::string& key) const;
  /// Granted requests of any key at or after since.
  std::size_t grantedSince(std::int64_t since) const;
  /// Forgets grants before before (older than any policy period asks about).
  void forget(std::int64_t before);
  std::size_t keys() const { return d_byKey.size(); }

private:
  void add(const RemovalRequest& request);
  std::uint64_t d_device = 0, d_inode = 0, d_offset = 0;
  std::string d_head; ///< the file's first bytes: a new file that reuses the inode is read from the start
  std::string d_partial; ///< a last line without its newline yet
  std::unordered_map<std::string, std::vector<std::int64_t>> d_byKey;
  std::deque<std::int64_t> d_zone; ///< every grant time, in log order
};

/// Runs f(history) on the process's RequestHistory of path under its lock (the web thread and tests).
template <typename F> auto withRequestHistory(const std::string& path, F f);

/// Moves a requests log that outgrew maxBytes to "<path>.1" (replacing the older one) and starts path
/// again with only what decisions still need: grants at or after keepSince and queued requests not yet
/// approved or denied; the new log gets owner. Returns true if it rotated. The caller holds the zone
/// lock. Throws FileError.
bool rotateRequests(
    const std::string& path, std::uint64_t maxBytes, std::int64_t keepSince, const FileOwner& owner);

/// Queued requests (outcome "queued") with no later "approved" or "denied" line for their key.
std::vector<RemovalRequest> pendingRequests(const std::vector<RemovalRequest>& log);

/// The registry behind withRequestHistory.
std::pair<std::unique_lock<std::mutex>, RequestHistory*> lockRequestHistory(const std::string& path);

template <typename F> auto withRequestHistory(const std::string& path, F f)
{
  auto [lock, history] = lockRequestHistory(path);
  return f(*history);
}

} // namespace shun::admin
