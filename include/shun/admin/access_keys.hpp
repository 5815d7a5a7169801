#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace shun::admin {

/// Length of the keys shunctl key add generates: 32 characters of [a-z0-9], about 165 random bits.
inline constexpr std::size_t kGeneratedKeyLength = 32;

/// A fresh access key from OpenSSL's RAND_bytes. Throws std::runtime_error if the generator fails.
std::string generateAccessKey();

/// What shunctl key add is asked for.
struct AccessKeyRequest {
  std::string id;
  std::vector<std::string> zones; ///< presentation form
  std::int64_t expires = 0; ///< unix seconds; 0: never
  std::uint64_t dailyQuota = 0; ///< 0: none
};

/// Adds a key with a fresh secret to the key file at path (created 0600; written by rename under its lock)
/// and prints the key once on out. Returns an ExitCode (kBadArgument: bad id or zone, id in use).
int addAccessKey(
    const std::string& path, const AccessKeyRequest& request, std::ostream& out, std::ostream& err);
/// Marks the key id revoked (kept in the file, so its counters and history stay). Returns an ExitCode
/// (kNotListed: no such id).
int revokeAccessKey(const std::string& path, const std::string& id, std::ostream& out, std::ostream& err);
/// Lists the keys (id, state, expiry, quota, zones; never the key itself), as text or JSON.
int listAccessKeys(
    const std::string& path, bool json, std::int64_t now, std::ostream& out, std::ostream& err);

} // namespace shun::admin
