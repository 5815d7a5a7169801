#pragma once

#include "shun/listing/directives.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// The web page's self-removal, as the zone editor runs it: the requests log and the policy decision.
namespace shun::admin {

/// One self-removal request as recorded in "<data file>.requests".
struct RemovalRequest {
  std::int64_t time = 0;
  std::string key;
  std::string client;
  std::string outcome; ///< granted, refused-policy, refused-limit, refused-cooldown, not-listed, ...
  bool operator==(const RemovalRequest&) const = default;
};

/// "2026-11-20T10:00:00Z 192.0.2.7 127.0.0.1 granted" with its newline.
std::string formatRequest(const RemovalRequest& request);
/// One line of a requests log (without its newline); nullopt if malformed.
std::optional<RemovalRequest> parseRequest(std::string_view line);
/// Every well-formed line of a requests log (others are skipped).
std::vector<RemovalRequest> parseRequests(std::string_view text);

/// The zone's #@selfremoval policy, read from the head of its data file; a malformed line allows nothing.
listing::SelfRemovalPolicy policyOf(const std::string& dataFile);

/// Decision on a new request for key at now, given the zone's policy and its earlier requests.
struct Decision {
  std::string outcome; ///< empty: may proceed to removal
  std::string message; ///< for the visitor
};
Decision decide(const listing::SelfRemovalPolicy& policy, const std::vector<RemovalRequest>& history,
    const std::string& key, std::int64_t now);

} // namespace shun::admin
