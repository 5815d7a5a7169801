#pragma once

#include "shun/zone/load.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace shun::zone {

/// How zone versions are kept.
struct VersionOptions {
  std::size_t historyLimit = 20; ///< change sets kept per zone (for IXFR)
  bool persist = true; ///< keep each serial in "<directory of the zone's first file>/.<zone>.serial"
};

/// Loads the zones again and again, rebuilding only the datasets whose files or journal changed: the
/// others are shared with the previous snapshot. A journal that only grew is read from where the last
/// load stopped (a change set, zone/journal_changes.hpp). Gives each zone a serial (RFC 1982) that moves on
/// with every change, also across restarts, and keeps its last change sets. One thread (the reloader's).
class IncrementalLoader {
public:
  IncrementalLoader(std::vector<ZoneSpec> specs, LoadOptions options, VersionOptions versions = {});
  ~IncrementalLoader();
  IncrementalLoader(const IncrementalLoader&) = delete;
  IncrementalLoader& operator=(const IncrementalLoader&) = delete;

  /// True if a journal differs from what the last load saw (one stat() per journal).
  bool journalsChanged() const;
  /// True if a data file or a journal differs from what the last load saw.
  bool changed() const;
  /// Loads everything the first time, then what changed. A dataset whose new version has errors keeps
  /// its previous one (reported as KeptPrevious, its diagnostics included) once it has one; at the first
  /// load errors stay in the result for the caller to judge (-q). snapshot is null if nothing changed.
  /// now: unix seconds. Throws config::ConfigError for a structural problem of the specs (first load).
  LoadResult load(std::int64_t now);
  /// Persists the serials that changed since the last call; warnings for files that cannot be written
  /// (once per zone). Call after publishing the snapshot.
  std::vector<Diagnostic> saveVersions();
  /// Every journal path (shunctl's "<first file>.journal" of the journalled datasets).
  std::vector<std::string> journalPaths() const;

private:
  struct State;
  std::unique_ptr<State> d_state;
};

} // namespace shun::zone
