#include "admin/safe_file.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/file.h>
#include <unistd.h>

namespace shun::admin {
namespace {

[[noreturn]] void fail(const std::string& what, const std::string& path)
{
  throw FileError(what + " " + path + ": " + std::strerror(errno));
}

// Owns a file descriptor for the length of one operation.
class Descriptor {
public:
  Descriptor(const std::string& path, int flags)
      : d_fd(::open(path.c_str(), flags | O_CLOEXEC, 0644))
  {
    if (d_fd < 0)
      fail("cannot open", path);
  }
  ~Descriptor()
  {
    if (d_fd >= 0)
      ::close(d_fd);
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  int get() const { return d_fd; }

private:
  int d_fd;
};

void writeAll(int fd, std::string_view text, const std::string& path)
{
  while (!text.empty()) {
    ssize_t written = ::write(fd, text.data(), text.size());
    if (written < 0 && errno == EINTR)
      continue;
    if (written < 0)
      fail("cannot write", path);
    text.remove_prefix(static_cast<std::size_t>(written));
  }
}

std::string directoryOf(const std::string& path)
{
  auto slash = path.rfind('/');
  return slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
}

} // namespace

ZoneLock::ZoneLock(const std::string& dataFile)
{
  std::string lockPath = dataFile + ".lock";
  d_fd = ::open(lockPath.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (d_fd < 0)
    fail("cannot open lock file", lockPath);
  while (::flock(d_fd, LOCK_EX) != 0) {
    if (errno != EINTR) {
      ::close(d_fd);
      fail("cannot lock", lockPath);
    }
  }
}

ZoneLock::~ZoneLock()
{
  ::close(d_fd);
} // closing releases the lock

void appendDurably(const std::string& path, std::string_view text)
{
  Descriptor file(path, O_WRONLY | O_APPEND | O_CREAT);
  writeAll(file.get(), text, path);
  if (::fsync(file.get()) != 0)
    fail("cannot fsync", path);
}

void replaceAtomically(const std::string& path, std::string_view content)
{
  std::string temporary = path + ".tmp." + std::to_string(::getpid());
  {
    Descriptor file(temporary, O_WRONLY | O_CREAT | O_TRUNC);
    writeAll(file.get(), content, temporary);
    if (::fsync(file.get()) != 0)
      fail("cannot fsync", temporary);
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    int saved = errno;
    ::unlink(temporary.c_str());
    errno = saved;
    fail("cannot rename onto", path);
  }
  Descriptor directory(directoryOf(path), O_RDONLY | O_DIRECTORY);
  ::fsync(directory.get()); // makes the rename itself durable
}

std::string readFileOrEmpty(const std::string& path, std::size_t limit)
{
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (errno == ENOENT)
      return {};
    fail("cannot read", path);
  }
  if (limit != SIZE_MAX) {
    std::string head(limit, '\0');
    in.read(head.data(), static_cast<std::streamsize>(limit));
    head.resize(static_cast<std::size_t>(in.gcount()));
    return head;
  }
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

} // namespace shun::admin
