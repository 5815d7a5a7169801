#pragma once

#include "shun/config/error.hpp"
#include "shun/store/snapshot.hpp"

#include <cstdint>
#include <memory>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace shun::zone {

/// One "zone:type:file,file" argument, as rbldnsd reads it.
struct ZoneSpec {
  std::string zone; ///< presentation form, lower-case, no trailing dot ("" for the global acl)
  std::string type; ///< dataset type name, e.g. "ip4set"
  std::vector<std::string> files;
  std::string datasetKey() const; ///< "type:file,file": equal keys share one dataset
};

/// Parses "zone:type:file,file" (files split on ',' or ':'). Throws config::ConfigError with a one-line
/// reason.
ZoneSpec parseZoneSpec(std::string_view argument);

/// Loader settings taken from the command line.
struct LoadOptions {
  bool acceptHostBits = false; ///< -e: "1.2.3.4/24" is masked instead of rejected
  bool gunzip = true; ///< -C turns off transparent gzip decompression
  std::uint32_t defaultTtl = 2100; ///< -t def:min:max (seconds); min/max 0: no clamp
  std::uint32_t minTtl = 0;
  std::uint32_t maxTtl = 0;
  std::int64_t now = 0; ///< unix seconds, for $TIMESTAMP checks
  std::size_t maxLineLength = 65536; ///< --max-line-length: a longer line is an error, skipped
  std::uint64_t gzipMaxBytes = std::uint64_t { 4 } << 30; ///< --gzip-max-bytes: decompressed, per file
  std::uint32_t gzipMaxRatio = 200; ///< --gzip-max-ratio: decompressed per compressed byte, past 1 MiB
};

/// One problem found while loading: "file:line: message". line 0: the whole file.
struct Diagnostic {
  std::string file;
  std::uint32_t line = 0;
  std::string message;
  bool error = true; ///< false: a warning (duplicated entry, TXT cut to 255 bytes, ...)
  std::string format() const;
};

/// What a load did with one dataset (IncrementalLoader), for the log.
struct DatasetReport {
  enum class Action { Loaded, ChangeSet, KeptPrevious, Merged }; ///< Merged: an overlay became a new base
  std::string dataset; ///< its spec, "type:file,file"
  Action action = Action::Loaded;
  std::size_t records = 0; ///< ChangeSet: the journal records applied
  double seconds = 0;
  bool onPreviousData = false; ///< ChangeSet: applied to the last good version (its files have errors)
};

/// A loaded snapshot and everything said about it. An IncrementalLoader's snapshot is null when nothing
/// changed.
struct LoadResult {
  std::shared_ptr<const store::Snapshot> snapshot;
  std::vector<Diagnostic> diagnostics;
  std::vector<DatasetReport> datasets; ///< IncrementalLoader: the datasets loaded, changed or kept
  bool hasErrors() const;
};

/// Loads every zone spec into a new snapshot. Bad lines are skipped and reported as errors; callers
/// decide whether errors reject the snapshot (reload) or not (-q). Never throws for file content.
LoadResult loadSnapshot(const std::vector<ZoneSpec>& specs, const LoadOptions& options);

/// Writes every zone in BIND master format, as "rbldnsd -d" does. now filters expired listings.
void dumpBind(const store::Snapshot& snapshot, std::ostream& out, std::int64_t now);

} // namespace shun::zone
