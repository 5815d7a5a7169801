#pragma once

#include "shun/zone/change_set.hpp"
#include "shun/zone/load.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace shun::zone {

/// How zone versions are kept.
struct VersionOptions {
  std::size_t historyLimit = 20; ///< change sets kept per zone (for IXFR)
  bool persist = true; ///< keep each serial in "<stateDirectory>/.<zone>.serial"
  std::string stateDirectory; ///< empty: the directory of the zone's first data file
};

/// How overlays are merged into new bases in the background.
struct MergeOptions {
  std::size_t mergeAt = kMergeAt; ///< an overlay of more changes starts a merge
  std::function<void()> finished; ///< called on the merge thread when a merge is ready for load()
  std::function<void()> beforeBuild; ///< runs on the merge thread before it reads (tests hold it there)
};

/// How far a journalled dataset's journal is applied (the control channel's journal lag).
struct JournalProgress {
  std::string dataset; ///< ZoneSpec::datasetKey()
  std::string journal; ///< its path
  std::size_t applied = 0; ///< bytes of complete blocks the served version holds
};

/// Loads the zones again and again, rebuilding only the datasets whose files or journal changed: the
/// others are shared with the previous snapshot. A journal that only grew is read from where the last
/// load stopped (a change set, zone/journal_changes.hpp), laid over the dataset's base in an overlay where
/// it can be; an overlay that grows past MergeOptions::mergeAt is merged into a new base by one background
/// thread at a time, which a later load() adopts without a new serial (same answers, new shape). Gives each
/// zone a serial (RFC 1982) that moves on with every change, also across restarts, and keeps its last change
/// sets. One thread (the reloader's).
class IncrementalLoader {
public:
  IncrementalLoader(std::vector<ZoneSpec> specs, LoadOptions options, VersionOptions versions = {},
      MergeOptions merging = {});
  /// Waits for a running merge (it reads one dataset: seconds at most for ten million lines).
  ~IncrementalLoader();
  IncrementalLoader(const IncrementalLoader&) = delete;
  IncrementalLoader& operator=(const IncrementalLoader&) = delete;

  /// True if a journal differs from what the last load saw (one stat() per journal).
  bool journalsChanged() const;
  /// True if a data file or a journal differs from what the last load saw.
  bool changed() const;
  /// True if a background merge finished and waits for load() to adopt it.
  bool mergeReady() const;
  /// Waits for a running background merge to finish (load() adopts it); no new one starts after
  /// stopMerging.
  void waitForMerge();
  void stopMerging();
  /// Loads everything the first time, then what changed. A dataset whose new version has errors keeps
  /// its previous one (reported as KeptPrevious, its diagnostics included) once it has one; at the first
  /// load errors stay in the result for the caller to judge (-q). A finished merge is adopted first (a
  /// Merged report; snapshot set, serials unchanged). snapshot is null if nothing changed.
  /// now: unix seconds. Throws config::ConfigError for a structural problem of the specs (first load).
  LoadResult load(std::int64_t now);
  /// Persists the serials that changed since the last call; warnings for files that cannot be written
  /// (once per zone). Call after publishing the snapshot.
  std::vector<Diagnostic> saveVersions();
  /// Every journal path (shunctl's "<first file>.journal" of the journalled datasets).
  std::vector<std::string> journalPaths() const;
  /// Each journal and the bytes of it applied, in command-line order.
  std::vector<JournalProgress> journalProgress() const;

private:
  struct State;
  std::unique_ptr<State> d_state;
};

} // namespace shun::zone
