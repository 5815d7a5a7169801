#include "admin/self_removal.hpp"

#include "shun/listing/listing.hpp"

#include <algorithm>

namespace shun::admin {
namespace {

std::vector<std::string_view> words(std::string_view line)
{
  std::vector<std::string_view> out;
  while (!line.empty()) {
    auto start = line.find_first_not_of(" \t\r");
    if (start == std::string_view::npos)
      break;
    line.remove_prefix(start);
    auto end = line.find_first_of(" \t\r");
    out.push_back(line.substr(0, end));
    line = end == std::string_view::npos ? std::string_view {} : line.substr(end);
  }
  return out;
}

} // namespace

std::string formatRequest(const RemovalRequest& request)
{
  return listing::formatUtcTime(request.time) + ' ' + request.key + ' ' + request.client + ' '
      + request.outcome + '\n';
}

std::optional<RemovalRequest> parseRequest(std::string_view line)
{
  auto fields = words(line);
  if (fields.size() != 4)
    return std::nullopt;
  auto time = listing::parseUtcTime(fields[0]);
  if (!time)
    return std::nullopt;
  return RemovalRequest { *time, std::string(fields[1]), std::string(fields[2]), std::string(fields[3]) };
}

std::vector<RemovalRequest> parseRequests(std::string_view text)
{
  std::vector<RemovalRequest> requests;
  while (!text.empty()) {
    auto end = text.find('\n');
    if (auto request = parseRequest(text.substr(0, end)))
      requests.push_back(std::move(*request));
    text = end == std::string_view::npos ? std::string_view {} : text.substr(end + 1);
  }
  return requests;
}

Decision decide(const listing::SelfRemovalPolicy& policy, const std::vector<RemovalRequest>& history,
    const std::string& key, std::int64_t now)
{
  if (!policy.allowed)
    return { "refused-policy", "This list does not offer self-removal. Please contact the list operator." };
  std::uint32_t granted = 0;
  std::int64_t lastGranted = 0;
  for (const auto& request : history) {
    if (request.key != key || request.outcome != "granted")
      continue;
    lastGranted = std::max(lastGranted, request.time);
    if (policy.period == 0 || request.time > now - policy.period)
      ++granted;
  }
  if (granted >= policy.max)
    return { "refused-limit",
      "This address or name has used all " + std::to_string(policy.max)
          + " self-removals allowed in this period. Fix the problem that caused the listing first, then "
            "contact the list operator." };
  if (lastGranted && policy.cooldown && now < lastGranted + policy.cooldown)
    return { "refused-cooldown",
      "A self-removal was granted recently; try again after "
          + listing::formatUtcTime(lastGranted + policy.cooldown) + "." };
  return {};
}

} // namespace shun::admin
