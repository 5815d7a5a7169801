// shunctl key add/revoke/list: the access key file of the keyed zones.
#include "shun/admin/access_keys.hpp"

#include "admin/safe_file.hpp"
#include "shun/admin/commands.hpp"
#include "shun/admin/json.hpp"
#include "shun/listing/access_keys.hpp"
#include "shun/listing/key.hpp"

#include <algorithm>
#include <ctime>
#include <openssl/rand.h>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace shun::admin {
namespace {

constexpr unsigned kKeyFileMode = 0600; // the keys are secrets: readable by shund's user only

// The file's keys; throws std::runtime_error naming the file and line of a bad one.
std::vector<listing::AccessKeyRecord> readKeys(const std::string& path)
{
  auto file = listing::parseAccessKeys(readFileOrEmpty(path));
  if (!file.error.empty())
    throw std::runtime_error(path + ": " + file.error);
  return std::move(file.records);
}

std::string isoTime(std::int64_t seconds)
{
  if (seconds == 0)
    return "never";
  std::time_t time = static_cast<std::time_t>(seconds);
  std::tm utc {};
  gmtime_r(&time, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// shunctl run as root writes the file for the owner of its directory (shund's user, who must read it);
// nobody else may read it.
void writeKeyFile(const std::string& path, const std::vector<listing::AccessKeyRecord>& records)
{
  FileOwner owner { ::geteuid(), ::getegid(), kKeyFileMode };
  auto slash = path.rfind('/');
  std::string directory = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  struct stat info { };
  if (::geteuid() == 0 && ::stat(directory.c_str(), &info) == 0 && info.st_uid != 0) {
    owner.uid = info.st_uid;
    owner.gid = info.st_gid;
  }
  replaceAtomically(path, listing::formatAccessKeys(records), owner);
}

std::string state(const listing::AccessKeyRecord& record, std::int64_t now)
{
  if (record.revoked)
    return "revoked";
  return record.expires != 0 && now >= record.expires ? "expired" : "active";
}

} // namespace

std::string generateAccessKey()
{
  constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string key;
  unsigned char bytes[64];
  while (key.size() < kGeneratedKeyLength) {
    if (RAND_bytes(bytes, sizeof bytes) != 1)
      throw std::runtime_error("OpenSSL's random generator failed (RAND_bytes)");
    for (unsigned char byte : bytes)
      if (byte < 252 && key.size() < kGeneratedKeyLength) // 252 = 7 * 36: no bias
        key += kAlphabet[byte % 36];
  }
  return key;
}

int addAccessKey(
    const std::string& path, const AccessKeyRequest& request, std::ostream& out, std::ostream& err)
{
  if (!listing::validAccessKeyId(request.id)) {
    err << "shunctl: bad key id '" << request.id << "' (1-64 characters of A-Z a-z 0-9 _ . -)\n";
    return kBadArgument;
  }
  listing::AccessKeyRecord record { request.id, generateAccessKey(), request.expires, request.dailyQuota,
    false, {} };
  for (const std::string& zone : request.zones)
    record.zones.push_back(listing::zoneName(zone));
  ZoneLock lock(path);
  auto records = readKeys(path);
  if (std::any_of(records.begin(), records.end(), [&](const auto& old) { return old.id == request.id; })) {
    err << "shunctl: key id " << request.id << " is in use (revoke it, or pick another id)\n";
    return kBadArgument;
  }
  records.push_back(record);
  auto text = listing::formatAccessKeys(records);
  if (!listing::parseAccessKeys(text).error.empty()) {
    err << "shunctl: " << listing::parseAccessKeys(text).error << "\n";
    return kBadArgument;
  }
  writeKeyFile(path, records);
  out << record.key << "\n";
  err << "shunctl: key " << request.id << " added to " << path
      << " (shown once; shund reloads it by itself)\n";
  return kOk;
}

int revokeAccessKey(const std::string& path, const std::string& id, std::ostream& out, std::ostream& err)
{
  ZoneLock lock(path);
  auto records = readKeys(path);
  auto found
      = std::find_if(records.begin(), records.end(), [&](const auto& record) { return record.id == id; });
  if (found == records.end()) {
    err << "shunctl: no key with id " << id << " in " << path << "\n";
    return kNotListed;
  }
  found->revoked = true;
  writeKeyFile(path, records);
  out << "revoked " << id << "\n";
  return kOk;
}

int listAccessKeys(const std::string& path, bool json, std::int64_t now, std::ostream& out, std::ostream&)
{
  auto records = readKeys(path);
  if (json)
    out << "[";
  for (std::size_t i = 0; i < records.size(); ++i) {
    const auto& record = records[i];
    std::string zones;
    for (const std::string& zone : record.zones)
      zones += (zones.empty() ? "" : json ? "," : " ") + (json ? jsonString(zone) : zone);
    if (json)
      out << (i ? "," : "") << "{\"id\":" << jsonString(record.id) << ",\"state\":\"" << state(record, now)
          << "\",\"expires\":" << record.expires << ",\"daily_quota\":" << record.dailyQuota << ",\"zones\":["
          << zones << "]}";
    else
      out << record.id << " " << state(record, now) << " expires " << isoTime(record.expires) << " quota "
          << (record.dailyQuota ? std::to_string(record.dailyQuota) + "/day" : "none") << " zones " << zones
          << "\n";
  }
  if (json)
    out << "]\n";
  return kOk;
}

} // namespace shun::admin
