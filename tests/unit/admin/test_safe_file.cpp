#include "admin/safe_file.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <optional>
#include <pwd.h>
#include <sstream>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace shun::admin;

namespace {

// A fresh directory (the zone's, writable by whoever plants names in it), removed afterwards.
using Directory = shuntest::TempDir;

std::string contentOf(const std::string& path)
{
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The owner the files of a zone we own get: ours.
FileOwner ours(mode_t mode = 0644)
{
  return { ::geteuid(), ::getegid(), mode };
}

} // namespace

TEST_CASE("safe_file: appendJournal cuts a torn tail, keeps it aside, and appends at the committed end")
{
  Directory dir;
  std::string journal = dir.write("bl.zone.journal", "complete\ntorn bl");
  appendJournal(journal, 9, "next\n", ours());
  CHECK(contentOf(journal) == "complete\nnext\n");
  CHECK(contentOf(journal + ".torn.9") == "torn bl");
  appendJournal(journal, 14, "more\n", ours());
  CHECK(contentOf(journal) == "complete\nnext\nmore\n");
  CHECK_THROWS_AS(appendJournal(journal, 100, "x\n", ours()), FileError); // shorter than it was read
}

TEST_CASE("safe_file: a journal, lock or appended file that is a symbolic link is refused")
{
  Directory dir;
  std::string victim = dir.write("victim", "precious\n");
  std::string data = dir.file("bl.zone");
  for (const std::string& name : { ".journal", ".lock", ".requests" }) {
    INFO(name);
    REQUIRE(::symlink(victim.c_str(), (data + name).c_str()) == 0);
    if (std::string(name) == ".journal")
      CHECK_THROWS_WITH(appendJournal(data + name, 0, "x\n", ours()), Catch::Contains("symbolic link"));
    else if (std::string(name) == ".lock")
      CHECK_THROWS_AS(ZoneLock(data), FileError);
    else
      CHECK_THROWS_AS(appendDurably(data + name, "x\n", ours()), FileError);
    CHECK_THROWS_AS(readFileOrEmpty(data + name), FileError);
  }
  CHECK(contentOf(victim) == "precious\n");
}

TEST_CASE("safe_file: a hard link is not written and a FIFO is refused without blocking")
{
  Directory dir;
  std::string victim = dir.write("victim", "precious\n");
  REQUIRE(::link(victim.c_str(), dir.file("bl.zone.journal").c_str()) == 0);
  CHECK_THROWS_WITH(
      appendJournal(dir.file("bl.zone.journal"), 0, "x\n", ours()), Catch::Contains("hard links"));
  CHECK(contentOf(victim) == "precious\n");
  REQUIRE(::mkfifo(dir.file("fifo").c_str(), 0600) == 0);
  CHECK_THROWS_WITH(readFileOrEmpty(dir.file("fifo")), Catch::Contains("not a regular file"));
  CHECK_THROWS_AS(appendDurably(dir.file("fifo"), "x\n", ours()), FileError);
}

TEST_CASE("safe_file: replaceAtomically ignores a planted temporary name and gives the zone's mode")
{
  Directory dir;
  std::string victim = dir.write("victim", "precious\n");
  std::string data = dir.write("bl.zone", "old\n");
  ::chmod(data.c_str(), 0640);
  // The name the old code used: a link there made it overwrite the victim.
  REQUIRE(::symlink(victim.c_str(), (data + ".tmp." + std::to_string(::getpid())).c_str()) == 0);
  replaceAtomically(data, "new\n", ours(0640));
  CHECK(contentOf(data) == "new\n");
  CHECK(contentOf(victim) == "precious\n");
  struct stat info { };
  REQUIRE(::stat(data.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0640);
  std::size_t leftovers = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
    leftovers += entry.path().filename().string().find(".tmp.") != std::string::npos;
  CHECK(leftovers == 1); // only the planted link
}

TEST_CASE("safe_file: replaceAtomically replaces a link itself, never what it points to")
{
  Directory dir;
  std::string victim = dir.write("victim", "precious\n");
  std::string history = dir.file("bl.zone.history");
  REQUIRE(::symlink(victim.c_str(), history.c_str()) == 0);
  replaceAtomically(history, "192.0.2.1 1 1 1 0\n", ours());
  CHECK(contentOf(victim) == "precious\n");
  CHECK_FALSE(std::filesystem::is_symlink(history));
}

TEST_CASE("safe_file: keepTornTail saves what follows the committed end, nothing when there is none")
{
  Directory dir;
  std::string journal = dir.write("j", "block\ntail");
  keepTornTail(journal, 6, ours());
  CHECK(contentOf(journal + ".torn.6") == "tail");
  keepTornTail(journal, 10, ours());
  CHECK_FALSE(std::filesystem::exists(journal + ".torn.10"));
  keepTornTail(dir.file("missing"), 0, ours());
}

TEST_CASE("safe_file: readFileOrEmpty reads a missing file as empty and stops at the limit")
{
  Directory dir;
  CHECK(readFileOrEmpty(dir.file("missing")).empty());
  std::string path = dir.write("f", "0123456789");
  CHECK(readFileOrEmpty(path, 4) == "0123");
  CHECK(readFileOrEmpty(path) == "0123456789");
}

TEST_CASE("safe_file: a data file link is followed only where its owner could write the target")
{
  Directory dir;
  std::string target = dir.write("target", "192.0.2.1\n");
  std::string data = dir.file("bl.zone");
  CHECK(resolveDataFile(data) == data); // missing: itself
  REQUIRE(::symlink(target.c_str(), data.c_str()) == 0);
  CHECK(resolveDataFile(data) == std::filesystem::canonical(target).string()); // our own link
  passwd* nobody = ::getpwnam("nobody");
  if (::geteuid() != 0 || !nobody)
    return; // planting a link as another user needs root
  REQUIRE(::lchown(data.c_str(), nobody->pw_uid, nobody->pw_gid) == 0);
  CHECK_THROWS_WITH(resolveDataFile(data), Catch::Contains("refusing to follow it"));
  REQUIRE(::chown(target.c_str(), nobody->pw_uid, nobody->pw_gid) == 0);
  CHECK(resolveDataFile(data) == std::filesystem::canonical(target).string());
}

namespace {

// uid/gid of a user other than root, for the ownership tests (which need root to give files away).
std::optional<std::pair<uid_t, gid_t>> otherUser()
{
  const passwd* entry = ::getpwnam("nobody");
  if (::geteuid() != 0 || !entry)
    return std::nullopt;
  return std::make_pair(entry->pw_uid, entry->pw_gid);
}

struct stat statOf(const std::string& path)
{
  struct stat info { };
  ::lstat(path.c_str(), &info);
  return info;
}

} // namespace

TEST_CASE("safe_file: a zone's files get the data file's owner, group and mode")
{
  Directory dir;
  std::string data = dir.write("bl.zone", "192.0.2.1\n");
  ::chmod(data.c_str(), 0640);
  FileOwner owner = zoneOwner(data);
  CHECK(owner.uid == statOf(data).st_uid);
  CHECK(owner.mode == 0640);
  auto other = otherUser();
  if (!other)
    return; // giving files away needs root
  REQUIRE(::chown(data.c_str(), other->first, other->second) == 0);
  owner = zoneOwner(data);
  CHECK(owner.uid == other->first);
  {
    ZoneLock lock(data); // root-run shunctl: the lock, the journal, the history and the log are the owner's
    appendJournal(data + ".journal", 0, "block\n", lock.owner());
    replaceAtomically(data + ".history", "h\n", lock.owner());
    appendDurably(data + ".requests", "r\n", lock.owner());
  }
  for (const char* suffix : { ".lock", ".journal", ".history", ".requests" }) {
    auto info = statOf(data + suffix);
    CHECK(info.st_uid == other->first);
    CHECK(info.st_gid == other->second);
    CHECK((info.st_mode & 07777) == 0640);
  }
}

TEST_CASE("safe_file: a root-owned journal is given the zone's owner; a third user's file is refused")
{
  auto other = otherUser();
  if (!other)
    return;
  Directory dir;
  std::string data = dir.write("bl.zone", "192.0.2.1\n");
  REQUIRE(::chown(data.c_str(), other->first, other->second) == 0);
  std::string journal = dir.write("bl.zone.journal", "");
  appendJournal(journal, 0, "block\n", zoneOwner(data)); // an older shunctl left it root:root
  CHECK(statOf(journal).st_uid == other->first);
  std::string planted = dir.write("bl.zone.requests", "");
  REQUIRE(::chown(planted.c_str(), other->first + 1, other->second) == 0);
  CHECK_THROWS_WITH(appendDurably(planted, "x\n", zoneOwner(data)), Catch::Contains("neither root nor"));
  CHECK(contentOf(planted).empty());
}

TEST_CASE("safe_file: a missing data file's zone belongs to its directory's owner when run as root")
{
  Directory dir;
  FileOwner owner = zoneOwner(dir.file("new.zone"));
  CHECK(owner.uid == statOf(dir.path()).st_uid);
  CHECK(owner.mode == 0644);
}

TEST_CASE("safe_file: a process that is neither root nor the data file's owner refuses to write")
{
  auto other = otherUser();
  if (!other)
    return;
  Directory dir;
  ::chmod(dir.path().c_str(), 0755);
  std::string data = dir.write("bl.zone", "192.0.2.1\n");
  pid_t child = ::fork();
  if (child == 0) { // nobody, writing root's zone: its files could not be root's
    bool refused = ::setgid(other->second) == 0 && ::setuid(other->first) == 0;
    try {
      zoneOwner(data);
      refused = false;
    } catch (const FileError& error) {
      refused = refused && std::string(error.what()).find("run it as root") != std::string::npos;
    }
    ::_exit(refused ? 0 : 1);
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
}
