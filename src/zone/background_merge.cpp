#include "zone/background_merge.hpp"

#include "zone/snapshot_assembly.hpp"

#include <exception>
#include <malloc.h>
#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

namespace shun::zone {
namespace {

constexpr int kLoadNice = 5; // a full load yields the cores to serving
constexpr int kMergeNice = 10; // below a full load's 5: a merge only saves memory and time later

std::vector<FileStamp> stampAll(const std::vector<std::string>& files)
{
  std::vector<FileStamp> stamps;
  for (const std::string& file : files)
    stamps.push_back(stampFile(file));
  return stamps;
}

} // namespace

std::shared_ptr<store::Dataset> buildDatasetYielding(const ZoneSpec& spec, const LoadOptions& options,
    std::vector<Diagnostic>& diagnostics, JournalRead* journal)
{
  std::shared_ptr<store::Dataset> built;
  std::exception_ptr failure;
  std::thread thread([&] {
    setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), kLoadNice); // a thread's own: not the caller's
    try {
      built = buildDataset(spec, options, diagnostics, journal);
    } catch (...) {
      failure = std::current_exception();
    }
  });
  pthread_setname_np(thread.native_handle(), "shund-load");
  thread.join();
  if (failure)
    std::rethrow_exception(failure);
  return built;
}

BackgroundMerge::BackgroundMerge(ZoneSpec spec, LoadOptions options, std::size_t journalLimit,
    std::function<void()> before, std::function<void()> done)
{
  d_thread = std::thread([this, spec = std::move(spec), options, journalLimit, before = std::move(before),
                             done = std::move(done)]() mutable {
    run(std::move(spec), options, journalLimit, std::move(before), std::move(done));
  });
  pthread_setname_np(d_thread.native_handle(), "shund-merge");
}

BackgroundMerge::~BackgroundMerge()
{
  wait();
}

void BackgroundMerge::wait()
{
  if (d_thread.joinable())
    d_thread.join();
}

BackgroundMerge::Result BackgroundMerge::take()
{
  wait();
  return std::move(d_result);
}

void BackgroundMerge::run(ZoneSpec spec, LoadOptions options, std::size_t journalLimit,
    std::function<void()> before, std::function<void()> done)
{
  setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), kMergeNice);
  if (before)
    before();
  d_result.filesBefore = stampAll(spec.files); // a file replaced while reading shows in filesAfter
  try {
    d_result.read.limit = journalLimit;
    d_result.dataset = buildDataset(spec, options, d_result.diagnostics, &d_result.read);
  } catch (const std::exception&) {
    d_result.dataset = nullptr; // the synchronous path reports what is wrong with the dataset
  }
  d_result.filesAfter = stampAll(spec.files);
  // The build's scratch, freed in this thread's arena, back to the kernel: RSS is what the dataset keeps.
  malloc_trim(0);
  d_finished.store(true, std::memory_order_release);
  if (done)
    done();
}

} // namespace shun::zone
