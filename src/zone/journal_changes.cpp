#include "zone/journal_changes.hpp"

#include "shun/zone/change_set.hpp"
#include "zone/snapshot_assembly.hpp"

#include <algorithm>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace shun::zone {
namespace {

// A file descriptor closed at scope exit.
struct Fd {
  int fd;
  ~Fd()
  {
    if (fd >= 0)
      ::close(fd);
  }
};

bool readAt(int fd, std::size_t offset, std::size_t length, std::string& out)
{
  out.resize(length);
  std::size_t done = 0;
  while (done < length) {
    ssize_t got = ::pread(fd, out.data() + done, length - done, static_cast<off_t>(offset + done));
    if (got <= 0)
      return false;
    done += static_cast<std::size_t>(got);
  }
  return true;
}

} // namespace

std::optional<JournalChanges> readJournalChanges(
    const std::string& path, const FileStamp& fromStamp, const JournalRead& from, std::size_t until)
{
  Fd file { ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC) }; // a FIFO must not block
  struct stat info { };
  if (file.fd < 0 || ::fstat(file.fd, &info) != 0 || !S_ISREG(info.st_mode))
    return std::nullopt;
  auto size = std::min(static_cast<std::size_t>(info.st_size), until);
  bool fromNothing = from.committed == 0; // a journal that was empty or absent: any new one continues it
  if (!fromNothing && (info.st_ino != fromStamp.inode || !fromStamp.exists || size < from.committed))
    return std::nullopt;
  std::string checked;
  if (!readAt(file.fd, from.committed - from.lastBytes.size(), from.lastBytes.size(), checked)
      || checked != from.lastBytes)
    return std::nullopt; // rewritten in place: not a continuation
  std::string tail;
  if (!readAt(file.fd, from.committed, size - from.committed, tail))
    return std::nullopt;
  listing::JournalContents contents = listing::decodeJournal(tail);
  if (contents.corrupt())
    return std::nullopt; // let the full load report it (and keep the version served)
  JournalChanges changes;
  changes.records = std::move(contents.records);
  changes.journalMtime = static_cast<std::int64_t>(info.st_mtime);
  changes.through.committed = from.committed + contents.committedBytes;
  changes.through.limit = changes.through.committed;
  std::string_view read(tail.data(), contents.committedBytes);
  std::string last = read.size() >= JournalRead::kCheckedBytes // the last bytes only: a batch's are megabytes
      ? std::string(read.substr(read.size() - JournalRead::kCheckedBytes))
      : from.lastBytes + std::string(read);
  changes.through.lastBytes = last.substr(last.size() - std::min(last.size(), JournalRead::kCheckedBytes));
  return changes;
}

std::shared_ptr<const store::Dataset> applyJournalChanges(
    const std::shared_ptr<const store::Dataset>& previous, const JournalChanges& changes,
    const LoadOptions& options, std::vector<Diagnostic>& diagnostics)
{
  std::vector<Diagnostic> incremental; // a declined attempt's diagnostics would repeat the rebuild's
  if (auto applied = applyChangeSet(previous, changes.records, options, incremental)) {
    diagnostics.insert(diagnostics.end(), incremental.begin(), incremental.end());
    return applied;
  }
  ZoneSpec spec; // the dataset again, read from its files and the journal up to the end of the changes
  spec.type = datasetTypeName(previous->type);
  spec.files = previous->files;
  JournalRead read;
  read.limit = changes.through.committed;
  return buildDatasetYielding(spec, options, diagnostics, &read);
}

} // namespace shun::zone
