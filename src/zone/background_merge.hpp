#pragma once

#include "shun/store/dataset.hpp"
#include "shun/zone/load.hpp"
#include "zone/dataset_loader.hpp"
#include "zone/file_stamp.hpp"

#include <atomic>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

namespace shun::zone {

/// One dataset built anew from its files and its journal up to a committed offset, on a thread of its
/// own ("shund-merge", nice 10: serving and change sets come first): the new base an overlay of recent
/// changes is merged into. The caller judges the result (IncrementalLoader).
class BackgroundMerge {
public:
  /// What the merge built and what it saw.
  struct Result {
    std::shared_ptr<const store::Dataset> dataset; ///< null: the build threw
    std::vector<Diagnostic> diagnostics;
    JournalRead read; ///< how far it read the journal
    std::vector<FileStamp> filesBefore, filesAfter; ///< the data files around the build
  };

  /// Starts the thread. journalLimit: the journal bytes to read (a committed offset). before runs on the
  /// thread first (tests hold a merge there), done last (wakes the reloader); both may be empty.
  BackgroundMerge(ZoneSpec spec, LoadOptions options, std::size_t journalLimit, std::function<void()> before,
      std::function<void()> done);
  /// Joins the thread: a running merge is finished first.
  ~BackgroundMerge();
  BackgroundMerge(const BackgroundMerge&) = delete;
  BackgroundMerge& operator=(const BackgroundMerge&) = delete;

  /// True once the thread has its result (any thread).
  bool finished() const { return d_finished.load(std::memory_order_acquire); }
  /// Waits for the thread.
  void wait();
  /// Waits for the thread and hands over its result.
  Result take();

private:
  void run(ZoneSpec spec, LoadOptions options, std::size_t journalLimit, std::function<void()> before,
      std::function<void()> done);
  Result d_result;
  std::atomic<bool> d_finished { false };
  std::thread d_thread;
};

} // namespace shun::zone
