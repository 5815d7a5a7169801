#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shun::listing {

/// Shortest and longest access key: at least 26 characters of [a-z0-9] (over 130 bits), one DNS label.
inline constexpr std::size_t kMinAccessKey = 26;
inline constexpr std::size_t kMaxAccessKey = 63;

/// One access key of the key file ("<key>.<zone>" queries): the secret key, the non-secret id that logs
/// and metrics show, when it expires, the zones it may query and its daily quota.
struct AccessKeyRecord {
  std::string id; ///< [A-Za-z0-9_.-], 1-64 characters; logs and /metrics name the key by it
  std::string key; ///< lower-case, kMinAccessKey..kMaxAccessKey characters of [a-z0-9]
  std::int64_t expires = 0; ///< unix seconds; 0: never
  std::uint64_t dailyQuota = 0; ///< queries per UTC day; 0: no quota
  bool revoked = false;
  std::vector<std::string> zones; ///< presentation form, lower-case, no trailing dot
  bool operator==(const AccessKeyRecord&) const = default;
};

/// A key file's records, or the first problem found ("line N: reason").
struct AccessKeyFile {
  std::vector<AccessKeyRecord> records;
  std::string error; ///< empty: the file is good
};

/// True for kMinAccessKey..kMaxAccessKey characters of [a-z0-9] (upper case too when anyCase).
bool validAccessKey(std::string_view key, bool anyCase = false) noexcept;
/// True for an id of 1-64 characters of [A-Za-z0-9_.-].
bool validAccessKeyId(std::string_view id) noexcept;

/// Parses a key file: "# comments", blank lines, and one line per key:
/// "<id> <key> <expires unix seconds|0> <daily quota|0> <active|revoked> <zone> [zone...]".
/// Ids and keys are unique. Never throws for bad text.
AccessKeyFile parseAccessKeys(std::string_view text);

/// The key file text of records (parseAccessKeys reads it back), with a header comment.
std::string formatAccessKeys(const std::vector<AccessKeyRecord>& records);

} // namespace shun::listing
