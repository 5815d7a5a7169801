#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <sys/types.h>

// Every file shunctl and the web page open in a zone's directory goes through here. That directory is
// writable by the service user, so a name in it may be a planted symbolic link, hard link or FIFO: files
// are opened with O_NOFOLLOW (and O_NONBLOCK, so a FIFO cannot hang us), checked with fstat (a regular file
// with one link), and written through mkstemp temporaries in the same directory.
namespace shun::admin {

/// A file operation that failed: the message names the path and the system error.
class FileError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// The owner, group and permission bits every file of a zone gets: its data file's, so that a root-run
/// shunctl and the page (the service user, who should own the data file) can both write them.
struct FileOwner {
  uid_t uid = 0;
  gid_t gid = 0;
  mode_t mode = 0644;
};

/// The FileOwner of the zone at dataFile: the data file's (through a link resolveDataFile allows); for
/// a missing data file its directory's owner and group when we run as root, else ours, mode 0644. Throws
/// FileError when this process could not give its files that owner (neither root nor the owner).
FileOwner zoneOwner(const std::string& dataFile);

/// An exclusive advisory lock on "<path>.lock", held for the object's life, so concurrent shunctl
/// processes serialise their writes to one zone. Blocks until the lock is free. Throws FileError.
/// The lock file gets the zone's owner; owner() is what every file written under the lock gets.
class ZoneLock {
public:
  explicit ZoneLock(const std::string& dataFile);
  ~ZoneLock();
  ZoneLock(const ZoneLock&) = delete;
  ZoneLock& operator=(const ZoneLock&) = delete;
  const FileOwner& owner() const { return d_owner; }

private:
  FileOwner d_owner;
  int d_fd = -1;
};

/// Appends text to path (created if missing) and fsyncs it before returning. Every file written here
/// (created, appended to or replaced) is given owner; one that belongs to someone other than root or
/// owner.uid is refused. Throws FileError.
void appendDurably(const std::string& path, std::string_view text, const FileOwner& owner);

/// Writes blocks to the journal at path at offset committed (the end of its last complete block, as
/// decodeJournal found it under the ZoneLock): a torn tail after it is saved to "<path>.torn.<offset>" and
/// cut away first, so nothing is ever appended after bytes a reader cannot decode. fsyncs. Throws
/// FileError (also if the journal is shorter than committed).
void appendJournal(
    const std::string& path, std::size_t committed, std::string_view blocks, const FileOwner& owner);

/// Saves what follows offset committed in the journal at path to "<path>.torn.<offset>" (nothing if the
/// journal is no longer); for a caller about to drop the journal. Throws FileError.
void keepTornTail(const std::string& path, std::size_t committed, const FileOwner& owner);

/// Replaces path with content so that a crash leaves either the old or the new file, never a mix:
/// write a mkstemp temporary beside it, fsync, rename over path, fsync the directory. The new file gets
/// owner's owner, group and mode. Throws FileError.
void replaceAtomically(const std::string& path, std::string_view content, const FileOwner& owner);

/// Reads a whole file, or its first limit bytes; a missing file reads as empty. A symbolic link or a
/// file that is not regular is refused. Throws FileError on these and on other errors.
std::string readFileOrEmpty(const std::string& path, std::size_t limit = SIZE_MAX);

/// Reads a file named by the operator (import's --file), following links; it may be a pipe. Throws FileError.
std::string readOperatorFile(const std::string& path);

/// The file a zone's data path stands for: the path itself, or, if it is a symbolic link, the file it
/// resolves to when that is safe: the link belongs to root or to us, or its target belongs to the link's
/// owner (who could have written the target's content anyway). Else throws FileError. A missing data
/// file resolves to itself.
std::string resolveDataFile(const std::string& dataFile);

} // namespace shun::admin
