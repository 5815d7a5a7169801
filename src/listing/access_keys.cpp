#include "shun/listing/access_keys.hpp"

#include <algorithm>
#include <charconv>
#include <set>

namespace shun::listing {
namespace {

bool lowerAlnum(char c) noexcept
{
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

std::vector<std::string_view> words(std::string_view line)
{
  std::vector<std::string_view> out;
  std::size_t pos = 0;
  while (pos < line.size()) {
    pos = line.find_first_not_of(" \t\r", pos);
    if (pos == std::string_view::npos)
      break;
    std::size_t end = line.find_first_of(" \t\r", pos);
    end = end == std::string_view::npos ? line.size() : end;
    out.push_back(line.substr(pos, end - pos));
    pos = end;
  }
  return out;
}

template <typename Number> std::optional<Number> number(std::string_view text)
{
  Number value {};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size())
    return std::nullopt;
  return value;
}

bool validZoneName(std::string_view zone)
{
  if (zone.empty() || zone.size() > 253 || zone.front() == '.' || zone.back() == '.')
    return false;
  return std::all_of(zone.begin(), zone.end(), [](char c) { return lowerAlnum(c) || c == '-' || c == '.'; });
}

// One key line, or the reason it is not one.
std::string parseLine(std::string_view line, AccessKeyRecord& record)
{
  auto fields = words(line);
  if (fields.size() < 6)
    return "expected <id> <key> <expires> <daily quota> <active|revoked> <zone>...";
  if (!validAccessKeyId(fields[0]))
    return "bad id '" + std::string(fields[0]) + "' (1-64 characters of A-Z a-z 0-9 _ . -)";
  if (!validAccessKey(fields[1]))
    return "bad key for " + std::string(fields[0]) + " (26-63 characters of a-z 0-9)";
  auto expires = number<std::int64_t>(fields[2]);
  auto quota = number<std::uint64_t>(fields[3]);
  if (!expires || *expires < 0)
    return "bad expiry '" + std::string(fields[2]) + "' (unix seconds, 0: never)";
  if (!quota)
    return "bad daily quota '" + std::string(fields[3]) + "' (queries per day, 0: none)";
  if (fields[4] != "active" && fields[4] != "revoked")
    return "bad state '" + std::string(fields[4]) + "' (active or revoked)";
  record = { std::string(fields[0]), std::string(fields[1]), *expires, *quota, fields[4] == "revoked", {} };
  for (std::size_t i = 5; i < fields.size(); ++i) {
    if (!validZoneName(fields[i]))
      return "bad zone '" + std::string(fields[i]) + "' (lower-case, no trailing dot)";
    record.zones.emplace_back(fields[i]);
  }
  return {};
}

} // namespace

bool validAccessKey(std::string_view key, bool anyCase) noexcept
{
  if (key.size() < kMinAccessKey || key.size() > kMaxAccessKey)
    return false;
  return std::all_of(
      key.begin(), key.end(), [&](char c) { return lowerAlnum(c) || (anyCase && c >= 'A' && c <= 'Z'); });
}

bool validAccessKeyId(std::string_view id) noexcept
{
  if (id.empty() || id.size() > 64)
    return false;
  return std::all_of(id.begin(), id.end(),
      [](char c) { return lowerAlnum(c) || (c >= 'A' && c <= 'Z') || c == '_' || c == '.' || c == '-'; });
}

AccessKeyFile parseAccessKeys(std::string_view text)
{
  AccessKeyFile file;
  std::set<std::string> ids, keys;
  std::size_t number = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t end = text.find('\n', pos);
    end = end == std::string_view::npos ? text.size() : end;
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++number;
    std::size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string_view::npos || line[first] == '#')
      continue;
    AccessKeyRecord record;
    std::string error = parseLine(line, record);
    if (error.empty() && !ids.insert(record.id).second)
      error = "id " + record.id + " given twice";
    if (error.empty() && !keys.insert(record.key).second)
      error = "the key of " + record.id + " is another id's key too";
    if (!error.empty()) {
      file.records.clear();
      file.error = "line " + std::to_string(number) + ": " + error;
      return file;
    }
    file.records.push_back(std::move(record));
  }
  return file;
}

std::string formatAccessKeys(const std::vector<AccessKeyRecord>& records)
{
  std::string text = "# shun access keys (shunctl key add/revoke/list); keep this file private.\n"
                     "# id key expires(unix s, 0: never) daily-quota(0: none) active|revoked zone...\n";
  for (const AccessKeyRecord& record : records) {
    text += record.id + ' ' + record.key + ' ' + std::to_string(record.expires) + ' '
        + std::to_string(record.dailyQuota) + (record.revoked ? " revoked" : " active");
    for (const std::string& zone : record.zones)
      text += ' ' + zone;
    text += '\n';
  }
  return text;
}

} // namespace shun::listing
