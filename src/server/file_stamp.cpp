#include "server/file_stamp.hpp"

#include <algorithm>
#include <sys/stat.h>

namespace shun::server {

namespace {

FileStamp stampFile(const std::string& file)
{
  FileStamp stamp;
  stamp.path = file;
  struct stat info { };
  if (::stat(file.c_str(), &info) == 0) {
    stamp.exists = true;
    stamp.mtimeNs = static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec;
    stamp.size = info.st_size;
    stamp.inode = info.st_ino;
  }
  return stamp;
}

} // namespace

std::vector<FileStamp> stampFiles(const std::vector<zone::ZoneSpec>& specs)
{
  std::vector<FileStamp> stamps;
  for (const auto& spec : specs)
    for (const auto& file : spec.files)
      stamps.push_back(stampFile(file));
  return stamps;
}

std::vector<FileStamp> stampJournals(const std::vector<zone::ZoneSpec>& specs)
{
  static const std::string kJournalled[] = { "ip4set", "ip4tset", "ip4trie", "ip6trie", "ip6tset", "dnset" };
  std::vector<FileStamp> stamps;
  for (const auto& spec : specs)
    if (!spec.files.empty()
        && std::find(std::begin(kJournalled), std::end(kJournalled), spec.type) != std::end(kJournalled))
      stamps.push_back(stampFile(spec.files.front() + ".journal"));
  return stamps;
}

} // namespace shun::server
