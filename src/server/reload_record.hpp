#pragma once

#include "shun/control/control.hpp"
#include "shun/zone/incremental_loader.hpp"

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace shun::server {

/// What the reloader did, for the control channel: the last reload that did something, the datasets
/// serving their previous data, how far each journal is applied, and which reload requests are done.
/// Written by the reload thread, read by the control thread.
class ReloadRecord {
public:
  /// A reload was requested: returns its ticket for wait().
  std::uint64_t ask();
  /// The reload thread takes every request asked so far: returns the last ticket it covers.
  std::uint64_t take() const;
  /// The reload thread finished the pass covering ticket: result (null snapshot: nothing new),
  /// journals: IncrementalLoader::journalProgress() after it.
  void finish(std::uint64_t ticket, const std::string& trigger, const zone::LoadResult& result,
      std::vector<zone::JournalProgress> journals, std::int64_t now);
  /// Waits until the pass covering ticket finished (true) or seconds passed (false).
  bool wait(std::uint64_t ticket, double seconds) const;
  /// The datasets' states and the last reload, under the lock.
  control::ReloadStatus lastReload() const;
  bool onPreviousData(const std::string& dataset) const;
  std::vector<zone::JournalProgress> journals() const;

private:
  mutable std::mutex d_mutex;
  mutable std::condition_variable d_done;
  std::uint64_t d_asked = 0;
  std::uint64_t d_finished = 0;
  control::ReloadStatus d_last;
  std::set<std::string> d_previous;
  std::vector<zone::JournalProgress> d_journals;
};

} // namespace shun::server
