#pragma once

#include "shun/store/snapshot.hpp"
#include "shun/zone/load.hpp"
#include "zone/dataset_loader.hpp"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace shun::zone {

/// Datasets by ZoneSpec::datasetKey().
using DatasetsByKey = std::map<std::string, std::shared_ptr<const store::Dataset>>;

/// The first spec of each distinct dataset key, in command-line order (pointers into specs).
std::vector<const ZoneSpec*> distinctDatasets(const std::vector<ZoneSpec>& specs);

/// A new dataset loaded from spec's files and journal. Throws config::ConfigError for an unknown type only.
std::shared_ptr<store::Dataset> buildDataset(const ZoneSpec& spec, const LoadOptions& options,
    std::vector<Diagnostic>& diagnostics, JournalRead* journal);

/// buildDataset at nice 5 on a thread of its own, waited for: a full load after the first yields the cores
/// to serving, while the caller (shund's reload thread) stays un-niced so that change sets are served at
/// once.
std::shared_ptr<store::Dataset> buildDatasetYielding(const ZoneSpec& spec, const LoadOptions& options,
    std::vector<Diagnostic>& diagnostics, JournalRead* journal);

/// The zones of specs wired to byKey's datasets (one per key), most specific first, SOA serial 0 resolved
/// to the newest data-file mtime, indexed. Throws config::ConfigError for a structural problem (two acls,
/// ...).
std::shared_ptr<store::Snapshot> assembleSnapshot(
    const std::vector<ZoneSpec>& specs, const DatasetsByKey& byKey, std::int64_t now);

} // namespace shun::zone
