#include "admin/safe_file.hpp"

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace shun::admin {
namespace {

[[noreturn]] void fail(const std::string& what, const std::string& path)
{
  int error = errno;
  if (error == ELOOP)
    throw FileError(what + " " + path + ": it is a symbolic link, which is never followed there");
  throw FileError(what + " " + path + ": " + std::strerror(error));
}

// Owns a file descriptor for the length of one operation.
class Descriptor {
public:
  explicit Descriptor(int fd)
      : d_fd(fd)
  {
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

// Opens path without following a symbolic link or blocking on a FIFO; a missing file gives -1 (ENOENT)
// if missingOk, every other failure throws.
int openPlain(const std::string& path, int flags, bool missingOk = false)
{
  int fd = ::open(path.c_str(), flags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600); // creates: createOwned
  if (fd < 0 && !(missingOk && errno == ENOENT))
    fail("cannot open", path);
  return fd;
}

// A planted FIFO, device or hard link to another file is refused: only a regular file with one name is
// ours to write (a hard link would make us write a file the planter could not).
struct stat checkRegular(int fd, const std::string& path, bool writing)
{
  struct stat info { };
  if (::fstat(fd, &info) != 0)
    fail("cannot stat", path);
  if (!S_ISREG(info.st_mode))
    throw FileError(path + ": not a regular file");
  if (writing && info.st_nlink > 1)
    throw FileError(path + ": has " + std::to_string(info.st_nlink) + " hard links; refusing to write it");
  return info;
}

std::string userName(uid_t uid)
{
  const passwd* entry = ::getpwuid(uid);
  return (entry ? std::string(entry->pw_name) + " " : std::string()) + "(uid " + std::to_string(uid) + ")";
}

// A file the zone's writers share must belong to root or to the zone's owner: anything else was planted
// by a third user (issue 16.2). Ours to fix, it gets the zone's owner, group and mode, so that the next
// writer (root's shunctl or the service user's page) can write it too.
void adopt(int fd, const std::string& path, const struct stat& info, const FileOwner& owner)
{
  if (info.st_uid != 0 && info.st_uid != owner.uid)
    throw FileError(path + ": belongs to " + userName(info.st_uid)
        + ", neither root nor the data file's owner " + userName(owner.uid) + "; refusing to use it");
  bool mine = ::geteuid() == 0 || info.st_uid == ::geteuid();
  if ((info.st_uid != owner.uid || info.st_gid != owner.gid) && mine
      && ::fchown(fd, ::geteuid() == 0 ? owner.uid : static_cast<uid_t>(-1), owner.gid) != 0)
    throw FileError(path + ": cannot give it the data file's owner " + userName(owner.uid) + " and group "
        + std::to_string(owner.gid) + ": " + std::strerror(errno));
  if ((info.st_mode & 07777) != owner.mode && mine && ::fchmod(fd, owner.mode) != 0)
    fail("cannot chmod", path);
}

// Makes a mkstemp file beside path (an unpredictable name created with O_EXCL, so a planted name cannot
// redirect the write), gives it the zone's owner and mode, and hands it to finish(fd, name); the name is
// removed if finish throws.
template <typename Finish>
void withOwnedTemporary(const std::string& path, const FileOwner& owner, Finish finish)
{
  std::string temporary = path + ".tmp.XXXXXX";
  Descriptor file(::mkostemp(temporary.data(), O_CLOEXEC));
  if (file.get() < 0)
    fail("cannot create a temporary file beside", path);
  try {
    struct stat created { };
    if (::fstat(file.get(), &created) != 0)
      fail("cannot stat", temporary);
    adopt(file.get(), temporary, created, owner);
    finish(file.get(), temporary);
  } catch (...) {
    ::unlink(temporary.c_str());
    throw;
  }
}

// Creates the missing path already owned: linked into place once it has the zone's owner and mode, so a
// reader woken by its creation (shund, as the service user) never finds it with our owner and 0600. A
// path that appeared meanwhile is left as it is.
void createOwned(const std::string& path, const FileOwner& owner)
{
  withOwnedTemporary(path, owner, [&](int, const std::string& temporary) {
    if (::link(temporary.c_str(), path.c_str()) != 0 && errno != EEXIST)
      fail("cannot create", path);
    ::unlink(temporary.c_str());
  });
}

// Opens path for writing (created if missing) and gives it the zone's owner. It is opened by its own
// name, so inotify reports the writes under that name.
int openOwned(const std::string& path, int flags, const FileOwner& owner)
{
  int fd = openPlain(path, flags, true);
  if (fd < 0) {
    createOwned(path, owner);
    fd = openPlain(path, flags);
  }
  try {
    adopt(fd, path, checkRegular(fd, path, true), owner);
  } catch (...) {
    ::close(fd);
    throw;
  }
  return fd;
}

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

std::string readAll(int fd, const std::string& path, std::size_t limit)
{
  std::string content;
  std::vector<char> buffer(1 << 16);
  while (content.size() < limit) {
    ssize_t got = ::read(fd, buffer.data(), std::min(buffer.size(), limit - content.size()));
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0)
      fail("cannot read", path);
    if (got == 0)
      break;
    content.append(buffer.data(), static_cast<std::size_t>(got));
  }
  return content;
}

std::string directoryOf(const std::string& path)
{
  auto slash = path.rfind('/');
  return slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
}

void syncOrFail(int fd, const std::string& path)
{
  if (::fsync(fd) != 0)
    fail("cannot fsync", path);
}

} // namespace

FileOwner zoneOwner(const std::string& dataFile)
{
  FileOwner owner;
  struct stat info { };
  if (::stat(resolveDataFile(dataFile).c_str(), &info) == 0) {
    owner = { info.st_uid, info.st_gid, static_cast<mode_t>(info.st_mode & 0666) };
  } else if (errno != ENOENT) {
    fail("cannot stat", dataFile);
  } else if (::geteuid() == 0 && ::stat(directoryOf(dataFile).c_str(), &info) == 0) {
    owner = { info.st_uid, info.st_gid, 0644 };
  } else {
    owner = { ::geteuid(), ::getegid(), 0644 };
  }
  if (::geteuid() != 0 && ::geteuid() != owner.uid)
    throw FileError(dataFile + " belongs to " + userName(owner.uid) + ", and this process runs as "
        + userName(::geteuid()) + ": it could not give the files it writes beside it that owner; run it as "
        + (owner.uid == 0 ? std::string("root") : userName(owner.uid) + " or as root"));
  return owner;
}

ZoneLock::ZoneLock(const std::string& dataFile)
    : d_owner(zoneOwner(dataFile))
{
  std::string lockPath = dataFile + ".lock";
  d_fd = openOwned(lockPath, O_RDWR, d_owner);
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

void appendDurably(const std::string& path, std::string_view text, const FileOwner& owner)
{
  Descriptor file(openOwned(path, O_WRONLY | O_APPEND, owner));
  writeAll(file.get(), text, path);
  syncOrFail(file.get(), path);
}

void keepTornTail(const std::string& path, std::size_t committed, const FileOwner& owner)
{
  Descriptor file(openPlain(path, O_RDONLY, true));
  if (file.get() < 0)
    return;
  auto info = checkRegular(file.get(), path, false);
  if (static_cast<std::size_t>(info.st_size) <= committed)
    return;
  if (::lseek(file.get(), static_cast<off_t>(committed), SEEK_SET) < 0)
    fail("cannot seek", path);
  replaceAtomically(path + ".torn." + std::to_string(committed), readAll(file.get(), path, SIZE_MAX), owner);
}

void appendJournal(
    const std::string& path, std::size_t committed, std::string_view blocks, const FileOwner& owner)
{
  Descriptor file(openOwned(path, O_RDWR, owner));
  struct stat info { };
  if (::fstat(file.get(), &info) != 0)
    fail("cannot stat", path);
  auto size = static_cast<std::size_t>(info.st_size);
  if (size < committed)
    throw FileError(path + ": shorter than when it was read under the lock; nothing was written");
  if (size > committed) { // a torn block: never acknowledged, but kept for the operator to look at
    keepTornTail(path, committed, owner);
    if (::ftruncate(file.get(), static_cast<off_t>(committed)) != 0)
      fail("cannot cut the unfinished block off", path);
  }
  if (::lseek(file.get(), static_cast<off_t>(committed), SEEK_SET) < 0)
    fail("cannot seek", path);
  writeAll(file.get(), blocks, path);
  syncOrFail(file.get(), path);
}

void replaceAtomically(const std::string& path, std::string_view content, const FileOwner& owner)
{
  withOwnedTemporary(path, owner, [&](int fd, const std::string& temporary) {
    writeAll(fd, content, temporary);
    syncOrFail(fd, temporary);
    if (::rename(temporary.c_str(), path.c_str()) != 0) // replaces a link itself, never its target
      fail("cannot rename onto", path);
  });
  Descriptor directory(::open(directoryOf(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (directory.get() >= 0)
    ::fsync(directory.get()); // makes the rename itself durable
}

std::string readFileOrEmpty(const std::string& path, std::size_t limit)
{
  Descriptor file(openPlain(path, O_RDONLY, true));
  if (file.get() < 0)
    return {};
  checkRegular(file.get(), path, false);
  return readAll(file.get(), path, limit);
}

std::string readOperatorFile(const std::string& path)
{
  Descriptor file(::open(path.c_str(), O_RDONLY | O_CLOEXEC)); // the operator's own choice: may be a pipe
  if (file.get() < 0)
    fail("cannot open", path);
  return readAll(file.get(), path, SIZE_MAX);
}

std::string resolveDataFile(const std::string& dataFile)
{
  struct stat link { };
  if (::lstat(dataFile.c_str(), &link) != 0 || !S_ISLNK(link.st_mode))
    return dataFile; // missing (reads as empty) or not a link: opened with O_NOFOLLOW as it is
  char resolved[PATH_MAX];
  if (!::realpath(dataFile.c_str(), resolved))
    fail("cannot resolve the symbolic link", dataFile);
  struct stat target { };
  if (::stat(resolved, &target) != 0)
    fail("cannot stat", resolved);
  bool trusted = link.st_uid == 0 || link.st_uid == ::geteuid() || target.st_uid == link.st_uid;
  if (!trusted)
    throw FileError(dataFile + ": a symbolic link owned by uid " + std::to_string(link.st_uid) + " to "
        + resolved + ", owned by uid " + std::to_string(target.st_uid)
        + ": refusing to follow it (the link's owner could not write that file)");
  return resolved;
}

} // namespace shun::admin
