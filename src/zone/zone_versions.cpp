#include "zone/zone_versions.hpp"

#include "zone/serial.hpp"

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <system_error>
#include <unistd.h>

namespace shun::zone {
namespace {

// The serial the data itself gives: its $SOA serial (0 already resolved to the newest mtime), or the
// newest mtime for a zone without SOA.
std::uint32_t sourceSerial(const store::Zone& zone)
{
  if (zone.soa)
    return zone.soa->serial;
  std::int64_t newest = 0;
  for (const store::ZoneDataset& dataset : zone.datasets)
    newest = std::max(newest, dataset.dataset->newestMtime);
  return static_cast<std::uint32_t>(newest);
}

std::string systemError(const std::string& what, const std::string& path)
{
  return what + " " + path + ": " + std::generic_category().message(errno);
}

} // namespace

std::string serialFilePath(
    const std::string& zone, const std::string& firstFile, const std::string& stateDirectory)
{
  if (!stateDirectory.empty())
    return stateDirectory + (stateDirectory.back() == '/' ? "." : "/.") + zone + ".serial";
  std::size_t slash = firstFile.rfind('/');
  std::string directory = slash == std::string::npos ? std::string() : firstFile.substr(0, slash + 1);
  return directory + "." + zone + ".serial";
}

std::optional<PersistedSerial> readSerialFile(const std::string& path)
{
  std::FILE* file = std::fopen(path.c_str(), "r");
  if (!file)
    return std::nullopt;
  std::uint32_t serial = 0;
  std::uint64_t fingerprint = 0;
  int fields = std::fscanf(file, "%" SCNu32 " %" SCNx64, &serial, &fingerprint);
  std::fclose(file);
  if (fields != 2)
    return std::nullopt;
  return PersistedSerial { serial, fingerprint };
}

bool writeSerialFile(const std::string& path, const PersistedSerial& value, std::string& error)
{
  std::string temporary = path + ".tmp";
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    error = systemError("cannot create", temporary);
    return false;
  }
  char text[64];
  int length
      = std::snprintf(text, sizeof text, "%" PRIu32 " %016" PRIx64 "\n", value.serial, value.fingerprint);
  bool written = ::write(fd, text, static_cast<std::size_t>(length)) == length && ::fsync(fd) == 0;
  if (!written)
    error = systemError("cannot write", temporary);
  ::close(fd);
  if (written && ::rename(temporary.c_str(), path.c_str()) != 0) {
    error = systemError("cannot rename onto", path);
    written = false;
  }
  if (!written)
    ::unlink(temporary.c_str());
  return written;
}

// At startup: the persisted serial if it describes the same data, else the next one after it.
ZoneVersions::Version ZoneVersions::first(std::uint32_t source, const ZoneInput& input) const
{
  Version version;
  auto persisted = input.serialFile.empty() ? std::nullopt : readSerialFile(input.serialFile);
  if (!persisted)
    version.current = { source, input.fingerprint };
  else if (persisted->fingerprint == input.fingerprint)
    version.current = *persisted;
  else
    version.current = { nextSerial(persisted->serial, source), input.fingerprint };
  return version;
}

void ZoneVersions::apply(store::Snapshot& snapshot, const std::map<std::string, ZoneInput>& inputs)
{
  static const ZoneInput kNone;
  for (store::Zone& zone : snapshot.zones) {
    auto input = inputs.find(zone.text);
    const ZoneInput& in = input == inputs.end() ? kNone : input->second;
    std::uint32_t source = sourceSerial(zone);
    auto known = d_versions.find(zone.text);
    if (known == d_versions.end()) {
      known = d_versions.emplace(zone.text, first(source, in)).first;
      known->second.file = in.serialFile;
      d_unsaved.insert(zone.text);
    } else if (in.changed) {
      record(known->second, source, in);
      d_unsaved.insert(zone.text);
    }
    if (zone.soa)
      zone.soa->serial = known->second.current.serial;
    zone.history = known->second.history;
  }
}

void ZoneVersions::record(Version& version, std::uint32_t source, const ZoneInput& input)
{
  std::uint32_t to = nextSerial(version.current.serial, source);
  if (d_historyLimit) {
    auto change = std::make_shared<store::ZoneChange>();
    change->from = version.current.serial;
    change->to = to;
    change->datasets = input.changes;
    auto history = std::make_shared<store::ZoneHistory>(*version.history);
    history->changes.push_back(std::move(change));
    if (history->changes.size() > d_historyLimit)
      history->changes.erase(history->changes.begin());
    version.history = std::move(history);
  }
  version.current = { to, input.fingerprint };
}

std::vector<Diagnostic> ZoneVersions::save()
{
  std::vector<Diagnostic> diagnostics;
  for (const std::string& zone : d_unsaved) {
    Version& version = d_versions.at(zone);
    if (version.file.empty() || readSerialFile(version.file) == version.current)
      continue;
    std::string error;
    if (writeSerialFile(version.file, version.current, error) || version.warned)
      continue;
    version.warned = true; // once: a read-only data directory should not flood the log
    error.append(" (the serial of zone ").append(zone).append(" may go backwards after a restart)");
    diagnostics.push_back({ version.file, 0, std::move(error), false });
  }
  d_unsaved.clear();
  return diagnostics;
}

} // namespace shun::zone
