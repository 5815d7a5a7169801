#include "server/access_key_loader.hpp"

#include "server/log.hpp"

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

namespace shun::server {
namespace {

constexpr std::size_t kMaxKeyFile = 64 << 20;

// The file's text; false with a reason when it cannot be read. O_NOFOLLOW: the directory may be the
// service user's, and a planted link must not make shund read another file.
bool readKeyFile(const std::string& path, std::string& text, std::string& error)
{
  int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    error = std::generic_category().message(errno);
    return false;
  }
  struct stat info { };
  bool regular = ::fstat(fd, &info) == 0 && S_ISREG(info.st_mode);
  char buffer[65536];
  ssize_t got = 0;
  while (regular && text.size() < kMaxKeyFile && (got = ::read(fd, buffer, sizeof buffer)) > 0)
    text.append(buffer, static_cast<std::size_t>(got));
  ::close(fd);
  if (!regular)
    error = "not a regular file";
  else if (got < 0)
    error = std::generic_category().message(errno);
  else if (text.size() >= kMaxKeyFile)
    error = "larger than 64 MiB";
  return error.empty();
}

} // namespace

AccessKeyLoader::AccessKeyLoader(std::string path, std::vector<std::string> keyedZones)
    : d_path(std::move(path))
    , d_zones(std::move(keyedZones))
{
}

AccessKeyLoader::Stamp AccessKeyLoader::stamp() const
{
  struct stat info { };
  if (::lstat(d_path.c_str(), &info) != 0)
    return {};
  return { static_cast<std::uint64_t>(info.st_ino), static_cast<std::uint64_t>(info.st_size),
    static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec, true };
}

bool AccessKeyLoader::changed() const
{
  return enabled() && (!d_everLoaded || !(stamp() == d_loaded));
}

std::shared_ptr<const store::AccessKeySet> AccessKeyLoader::load()
{
  if (!enabled())
    return nullptr;
  d_loaded = stamp();
  d_everLoaded = true;
  std::string text, error;
  listing::AccessKeyFile file;
  if (!d_loaded.exists) {
    logLine(LogLevel::Warning, "no key file " + d_path + ": every key of the keyed zones is refused");
  } else if (!readKeyFile(d_path, text, error)) {
    d_everLoaded = false; // try again at the next change, signal or tick
    logLine(LogLevel::Error,
        "cannot read key file " + d_path + ": " + error + (d_current ? " (previous keys kept)" : ""));
    return d_current ? d_current
                     : (d_current = std::make_shared<store::AccessKeySet>(file.records, d_zones, nullptr));
  } else {
    file = listing::parseAccessKeys(text);
    if (!file.error.empty()) {
      logLine(
          LogLevel::Error, d_path + ": " + file.error + (d_current ? " (previous keys kept)" : " (no keys)"));
      if (d_current)
        return d_current;
    }
  }
  d_current = std::make_shared<store::AccessKeySet>(file.records, d_zones, d_current.get());
  logLine(LogLevel::Info, "loaded " + std::to_string(file.records.size()) + " access key(s) from " + d_path);
  return d_current;
}

} // namespace shun::server
