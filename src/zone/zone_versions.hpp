#pragma once

#include "shun/store/snapshot.hpp"
#include "shun/zone/load.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace shun::zone {

/// A zone's serial and the fingerprint of the data it describes, as kept in its serial file.
struct PersistedSerial {
  std::uint32_t serial = 0;
  std::uint64_t fingerprint = 0;
  bool operator==(const PersistedSerial&) const = default;
};

/// Where a zone's serial survives restarts: "<stateDirectory>/.<zone>.serial", or beside the zone's first
/// data file when stateDirectory is empty.
std::string serialFilePath(
    const std::string& zone, const std::string& firstFile, const std::string& stateDirectory);
/// The serial file's contents, or nullopt if it is missing or unreadable.
std::optional<PersistedSerial> readSerialFile(const std::string& path);
/// Writes the serial file durably (temporary file, fsync, rename). False with error on failure.
bool writeSerialFile(const std::string& path, const PersistedSerial& value, std::string& error);

/// What a load says about one zone.
struct ZoneInput {
  std::uint64_t fingerprint = 0; ///< of the stamps of every file and journal block it serves
  bool changed = false; ///< a dataset of the zone is not the one of the previous load
  std::vector<store::DatasetChange> changes; ///< of the changed datasets
  std::string serialFile; ///< empty: not persisted
};

/// Gives zones their serials (RFC 1982, never backwards, also across restarts) and keeps their last
/// change sets. One loader thread.
class ZoneVersions {
public:
  explicit ZoneVersions(std::size_t historyLimit)
      : d_historyLimit(historyLimit)
  {
  }
  /// Sets each zone's SOA serial and history in snapshot (inputs by zone name; a zone without input is
  /// unchanged). The first call reads the serial files.
  void apply(store::Snapshot& snapshot, const std::map<std::string, ZoneInput>& inputs);
  /// Writes the serial files of zones whose version changed since the last call (after publishing: a
  /// crash in between gives the same serial again at restart, as the data is unchanged). Returns one
  /// warning per zone whose file cannot be written, the first time only.
  std::vector<Diagnostic> save();

private:
  struct Version {
    PersistedSerial current;
    std::shared_ptr<const store::ZoneHistory> history = std::make_shared<store::ZoneHistory>();
    std::string file; ///< the serial file; empty: not persisted
    bool warned = false;
  };
  Version first(std::uint32_t source, const ZoneInput& input) const;
  void record(Version& version, std::uint32_t source, const ZoneInput& input);
  std::size_t d_historyLimit;
  std::map<std::string, Version> d_versions;
  std::set<std::string> d_unsaved;
};

} // namespace shun::zone
