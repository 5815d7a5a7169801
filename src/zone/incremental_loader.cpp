#include "shun/zone/incremental_loader.hpp"

#include "shun/store/overlay.hpp"
#include "zone/background_merge.hpp"
#include "zone/file_stamp.hpp"
#include "zone/journal_changes.hpp"
#include "zone/snapshot_assembly.hpp"
#include "zone/zone_versions.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>

namespace shun::zone {
namespace {

// What the loader knows about one dataset between loads.
struct DatasetState {
  const ZoneSpec* spec = nullptr;
  std::string journal; ///< its journal path; empty: not journalled
  std::shared_ptr<const store::Dataset> good; ///< the version served (null before the first load)
  std::size_t goodErrors = 0; ///< errors good was accepted with (-q at the first load)
  std::size_t acceptedErrors = 0; ///< errors of good's base and the change sets on it
  std::vector<FileStamp> goodFiles; ///< the files good was built from
  std::vector<FileStamp> brokenFiles; ///< files whose load failed since: only a journal change is news
  FileStamp journalStamp; ///< the journal good read (its inode)
  JournalRead journalRead; ///< how far good read it
  std::weak_ptr<const store::Dataset> unmerged; ///< a base whose merge was discarded: not merged again
  std::vector<FileStamp> seenFiles; ///< as the last load saw them, good or not
  FileStamp seenJournal;
  bool changed = false; ///< good was replaced by the current load
  store::DatasetChange change; ///< how, when changed
};

std::vector<FileStamp> stampAll(const std::vector<std::string>& files)
{
  std::vector<FileStamp> stamps;
  stamps.reserve(files.size());
  for (const std::string& file : files)
    stamps.push_back(stampFile(file));
  return stamps;
}

std::size_t errorCount(const std::vector<Diagnostic>& diagnostics)
{
  return static_cast<std::size_t>(
      std::count_if(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& d) { return d.error; }));
}

// FNV-1a (64 bits): a fingerprint of the stamps a zone's serial describes, stable across restarts.
struct Fingerprint {
  std::uint64_t value = 14695981039346656037ull;
  void add(std::string_view bytes)
  {
    for (unsigned char byte : bytes)
      value = (value ^ byte) * 1099511628211ull;
  }
  void add(std::int64_t number) { add(std::to_string(number) + ';'); }
};

// A background merge of one dataset's overlay and what the loader knew when it started it.
struct PendingMerge {
  std::string key;
  std::weak_ptr<const store::Dataset> base; ///< the overlay's base: another one means a rebuild since
  FileStamp journalStamp; ///< the journal it reads
  std::vector<FileStamp> files; ///< the files that base was built from
  std::chrono::steady_clock::time_point started;
  std::unique_ptr<BackgroundMerge> job;
};

} // namespace

struct IncrementalLoader::State {
  std::vector<ZoneSpec> specs;
  LoadOptions options;
  VersionOptions versionOptions;
  ZoneVersions versions;
  std::vector<std::string> keys; ///< distinct dataset keys, in command-line order
  std::map<std::string, DatasetState> datasets;
  std::map<std::string, std::vector<std::string>> zoneKeys; ///< zone -> its dataset keys
  bool loaded = false;
  MergeOptions merging;
  std::optional<PendingMerge> merge; ///< at most one: RSS is the bases, the overlays and one merge
  bool mergingStopped = false;

  State(
      std::vector<ZoneSpec> specsIn, LoadOptions optionsIn, VersionOptions versionsIn, MergeOptions mergingIn)
      : specs(std::move(specsIn))
      , options(optionsIn)
      , versionOptions(versionsIn)
      , versions(versionsIn.historyLimit)
      , merging(std::move(mergingIn))
  {
    for (const ZoneSpec* spec : distinctDatasets(specs)) {
      DatasetState& state = datasets[spec->datasetKey()];
      state.spec = spec;
      state.journal = isJournalled(spec->type) ? journalPath(*spec) : std::string();
      keys.push_back(spec->datasetKey());
    }
    for (const ZoneSpec& spec : specs)
      if (!spec.zone.empty())
        zoneKeys[spec.zone].push_back(spec.datasetKey());
  }

  bool refresh(DatasetState& state, LoadResult& result);
  bool update(DatasetState& state, const std::vector<FileStamp>& files, bool onServed, bool retrying,
      LoadResult& result);
  void accept(DatasetState& state, std::shared_ptr<const store::Dataset> next, std::size_t errors,
      std::optional<JournalChanges> changes, const JournalRead& read);
  std::map<std::string, ZoneInput> zoneInputs() const;
  void startMerge();
  bool adoptMerge(LoadResult& result);
  std::shared_ptr<const store::Dataset> mergedVersion(
      PendingMerge& pending, BackgroundMerge::Result& merged, std::size_t& records);
};

// Rebuilds one dataset if its files or journal changed; true if its served version changed. A journal
// that only grew on a known base is read from where the last load stopped: a change set.
bool IncrementalLoader::State::refresh(DatasetState& state, LoadResult& result)
{
  auto files = stampAll(state.spec->files);
  auto journal = state.journal.empty() ? FileStamp {} : stampFile(state.journal);
  if (state.good && files == state.seenFiles && journal == state.seenJournal)
    return false;
  state.seenFiles = files; // stamped before reading: a change while reading is seen next time
  state.seenJournal = journal;
  bool baseKnown = state.good && (files == state.goodFiles || files == state.brokenFiles);
  if (update(state, files, baseKnown, false, result))
    return true;
  // A file that broke while the journal grew: the journal's changes still apply to the last good version.
  return !baseKnown && state.good && !state.journal.empty() && state.brokenFiles == files
      && update(state, files, true, true, result);
}

// One attempt of refresh: a change set on the served version (onServed), else a full load (not when
// retrying after a refused one).
bool IncrementalLoader::State::update(DatasetState& state, const std::vector<FileStamp>& files, bool onServed,
    bool retrying, LoadResult& result)
{
  auto started = std::chrono::steady_clock::now();
  std::optional<JournalChanges> changes;
  if (onServed && !state.journal.empty())
    changes = readJournalChanges(state.journal, state.journalStamp, state.journalRead);
  if (changes && changes->records.empty())
    return false; // only a torn block was appended, or the journal was touched without change
  if (!changes && retrying)
    return false; // the journal does not continue the served version: nothing to apply
  std::vector<Diagnostic> diagnostics;
  JournalRead read;
  std::shared_ptr<const store::Dataset> next = changes
      ? applyJournalChanges(state.good, *changes, options, diagnostics)
      : loaded ? buildDatasetYielding(*state.spec, options, diagnostics, &read)
               : buildDataset(*state.spec, options, diagnostics, &read); // the first load: nothing served yet
  result.diagnostics.insert(result.diagnostics.end(), diagnostics.begin(), diagnostics.end());
  DatasetReport report { state.spec->datasetKey(),
    changes ? DatasetReport::Action::ChangeSet : DatasetReport::Action::Loaded,
    changes ? changes->records.size() : 0,
    std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() };
  report.onPreviousData = changes && files != state.goodFiles;
  // A new version with errors is refused, except that a change set may keep the errors its base was
  // accepted with (-q): it adds to that base, it does not make it worse.
  std::size_t errors = errorCount(diagnostics);
  bool accepted = !state.good || errors <= (changes ? state.goodErrors : 0);
  if (accepted)
    accept(state, std::move(next), errors, changes ? std::move(changes) : std::nullopt, read);
  else if (!changes)
    state.brokenFiles = files;
  if (!accepted)
    report.action = DatasetReport::Action::KeptPrevious;
  result.datasets.push_back(std::move(report));
  return accepted;
}

// Makes next the served version of state's dataset: built from its files and read through the journal
// (changes: a change set on the previous version, else a full load that read the journal as far as read).
void IncrementalLoader::State::accept(DatasetState& state, std::shared_ptr<const store::Dataset> next,
    std::size_t errors, std::optional<JournalChanges> changes, const JournalRead& read)
{
  if (!changes) {
    state.goodFiles = state.seenFiles;
    state.brokenFiles.clear();
  }
  bool overlaid = changes && next && next->overlay; // else a new base
  state.good = std::move(next);
  state.goodErrors = errors;
  state.acceptedErrors = overlaid ? state.acceptedErrors + errors : errors;
  state.journalStamp = state.seenJournal;
  state.journalRead = changes ? changes->through : read;
  state.change = { state.spec->datasetKey(), changes.has_value(),
    changes ? std::make_shared<const std::vector<listing::JournalRecord>>(std::move(changes->records))
            : nullptr };
}

std::map<std::string, ZoneInput> IncrementalLoader::State::zoneInputs() const
{
  std::map<std::string, ZoneInput> inputs;
  for (const auto& [zone, zoneKeys] : zoneKeys) {
    ZoneInput& input = inputs[zone];
    Fingerprint fingerprint;
    for (const std::string& key : zoneKeys) {
      const DatasetState& state = datasets.at(key);
      fingerprint.add(key);
      for (const FileStamp& stamp : state.goodFiles) {
        for (std::int64_t number : { stamp.mtimeNs, stamp.size, static_cast<std::int64_t>(stamp.inode) })
          fingerprint.add(number);
      }
      fingerprint.add(static_cast<std::int64_t>(state.journalStamp.inode));
      fingerprint.add(static_cast<std::int64_t>(state.journalRead.committed));
      if (state.changed
          && std::none_of(input.changes.begin(), input.changes.end(),
              [&](const store::DatasetChange& c) { return c.dataset == key; })) {
        input.changed = true;
        input.changes.push_back(state.change);
      }
    }
    input.fingerprint = fingerprint.value;
    if (versionOptions.persist)
      input.serialFile = serialFilePath(
          zone, datasets.at(zoneKeys.front()).spec->files.front(), versionOptions.stateDirectory);
  }
  return inputs;
}

// Starts a background merge of the first dataset whose overlay passed mergeAt or removed a name its base
// lists (so that the names above it answer exactly again), unless one runs: at most
// one, so that memory holds the bases, their overlays and one dataset being built. Its base files must be
// those of the served version (not a broken newer file, whose merge would be discarded).
void IncrementalLoader::State::startMerge()
{
  if (merge || mergingStopped)
    return;
  for (const std::string& key : keys) {
    DatasetState& state = datasets.at(key);
    if (!state.good || !state.good->overlay
        || (state.good->overlay->size() <= merging.mergeAt && !state.good->overlay->hidesListedNames())
        || state.seenFiles != state.goodFiles || state.unmerged.lock() == state.good->overlay->base())
      continue;
    merge = PendingMerge { key, state.good->overlay->base(), state.journalStamp, state.goodFiles,
      std::chrono::steady_clock::now(), nullptr };
    merge->job = std::make_unique<BackgroundMerge>(
        *state.spec, options, state.journalRead.committed, merging.beforeBuild, merging.finished);
    return;
  }
}

// The merge's dataset with the records journaled after the offset it read laid over it again, up to what
// the served version holds; null where that is not the served data in a new shape: a file changed, the
// journal was replaced, the dataset was rebuilt since (a record no overlay takes), more errors, or a
// record its overlay declines.
std::shared_ptr<const store::Dataset> IncrementalLoader::State::mergedVersion(
    PendingMerge& pending, BackgroundMerge::Result& merged, std::size_t& records)
{
  DatasetState& state = datasets.at(pending.key);
  auto base = pending.base.lock();
  bool same = merged.dataset && base && state.good && state.good->overlay
      && state.good->overlay->base() == base && merged.filesBefore == pending.files
      && merged.filesAfter == pending.files && state.goodFiles == pending.files
      && state.journalStamp.inode == pending.journalStamp.inode
      && errorCount(merged.diagnostics) <= state.acceptedErrors;
  if (!same)
    return nullptr;
  auto since
      = readJournalChanges(state.journal, pending.journalStamp, merged.read, state.journalRead.committed);
  if (!since || since->through.committed != state.journalRead.committed)
    return nullptr; // replaced or rewritten meanwhile
  records = since->records.size();
  if (since->records.empty())
    return merged.dataset;
  std::vector<Diagnostic> reported; // when the records were applied the first time
  return applyChangeSet(merged.dataset, since->records, options, reported);
}

// Makes a finished merge its dataset's new base (mergedVersion). The answers stay the same: no new
// serial, no change set in the zone's history. True if the served version changed.
bool IncrementalLoader::State::adoptMerge(LoadResult& result)
{
  if (!merge || !merge->job->finished())
    return false;
  PendingMerge pending = std::move(*merge);
  merge.reset();
  BackgroundMerge::Result merged = pending.job->take();
  std::size_t records = 0;
  auto next = mergedVersion(pending, merged, records);
  if (!next) {
    datasets.at(pending.key).unmerged = pending.base; // a merge that would fail alike does not loop
    return false;
  }
  datasets.at(pending.key).good = std::move(next);
  result.datasets.push_back({ pending.key, DatasetReport::Action::Merged, records,
      std::chrono::duration<double>(std::chrono::steady_clock::now() - pending.started).count() });
  return true;
}

IncrementalLoader::IncrementalLoader(
    std::vector<ZoneSpec> specs, LoadOptions options, VersionOptions versions, MergeOptions merging)
    : d_state(std::make_unique<State>(std::move(specs), options, versions, std::move(merging)))
{
}

IncrementalLoader::~IncrementalLoader()
{
  stopMerging();
}

bool IncrementalLoader::mergeReady() const
{
  return d_state->merge && d_state->merge->job->finished();
}

void IncrementalLoader::waitForMerge()
{
  if (d_state->merge)
    d_state->merge->job->wait();
}

void IncrementalLoader::stopMerging()
{
  d_state->mergingStopped = true;
  d_state->merge.reset(); // joins
}

bool IncrementalLoader::journalsChanged() const
{
  for (const auto& [key, state] : d_state->datasets)
    if (!state.journal.empty() && stampFile(state.journal) != state.seenJournal)
      return true;
  return false;
}

bool IncrementalLoader::changed() const
{
  for (const auto& [key, state] : d_state->datasets)
    if (stampAll(state.spec->files) != state.seenFiles)
      return true;
  return journalsChanged();
}

LoadResult IncrementalLoader::load(std::int64_t now)
{
  State& state = *d_state;
  state.options.now = now;
  LoadResult result;
  bool any = state.adoptMerge(result) || !state.loaded;
  for (const std::string& key : state.keys) {
    DatasetState& dataset = state.datasets.at(key);
    dataset.changed = state.refresh(dataset, result);
    any = any || dataset.changed;
  }
  state.startMerge();
  if (!any)
    return result;
  DatasetsByKey byKey;
  for (const auto& [key, dataset] : state.datasets)
    byKey[key] = dataset.good;
  auto snapshot = assembleSnapshot(state.specs, byKey, now);
  state.versions.apply(*snapshot, state.zoneInputs());
  state.loaded = true;
  result.snapshot = std::move(snapshot);
  return result;
}

std::vector<Diagnostic> IncrementalLoader::saveVersions()
{
  return d_state->versions.save();
}

std::vector<std::string> IncrementalLoader::journalPaths() const
{
  std::vector<std::string> paths;
  for (const std::string& key : d_state->keys)
    if (!d_state->datasets.at(key).journal.empty())
      paths.push_back(d_state->datasets.at(key).journal);
  return paths;
}

std::vector<JournalProgress> IncrementalLoader::journalProgress() const
{
  std::vector<JournalProgress> progress;
  for (const std::string& key : d_state->keys) {
    const DatasetState& dataset = d_state->datasets.at(key);
    if (!dataset.journal.empty())
      progress.push_back({ key, dataset.journal, dataset.good ? dataset.journalRead.committed : 0 });
  }
  return progress;
}

} // namespace shun::zone
