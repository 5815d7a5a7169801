#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace shun::admin {

/// A file operation that failed: the message names the path and the system error.
class FileError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// An exclusive advisory lock on "<path>.lock", held for the object's life, so concurrent shunctl
/// processes serialise their writes to one zone. Blocks until the lock is free. Throws FileError.
class ZoneLock {
public:
  explicit ZoneLock(const std::string& dataFile);
  ~ZoneLock();
  ZoneLock(const ZoneLock&) = delete;
  ZoneLock& operator=(const ZoneLock&) = delete;

private:
  int d_fd = -1;
};

/// Appends text to path (created if missing) and fsyncs it before returning. Throws FileError.
void appendDurably(const std::string& path, std::string_view text);

/// Replaces path with content so that a crash leaves either the old or the new file, never a mix:
/// write a temporary file beside it, fsync, rename over path, fsync the directory. Throws FileError.
void replaceAtomically(const std::string& path, std::string_view content);

/// Reads a whole file, or its first limit bytes; a missing file reads as empty. Throws FileError on other
/// errors.
std::string readFileOrEmpty(const std::string& path, std::size_t limit = SIZE_MAX);

} // namespace shun::admin
