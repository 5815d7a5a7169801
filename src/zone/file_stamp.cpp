#include "zone/file_stamp.hpp"

#include <algorithm>
#include <sys/stat.h>

namespace shun::zone {

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

std::vector<FileStamp> stampFiles(const std::vector<ZoneSpec>& specs)
{
  std::vector<FileStamp> stamps;
  for (const auto& spec : specs)
    for (const auto& file : spec.files)
      stamps.push_back(stampFile(file));
  return stamps;
}

bool isJournalled(const std::string& type)
{
  static const std::string kJournalled[] = { "ip4set", "ip4tset", "ip4trie", "ip6trie", "ip6tset", "dnset" };
  return std::find(std::begin(kJournalled), std::end(kJournalled), type) != std::end(kJournalled);
}

std::string journalPath(const ZoneSpec& spec)
{
  return spec.files.empty() ? std::string() : spec.files.front() + ".journal";
}

std::vector<FileStamp> stampJournals(const std::vector<ZoneSpec>& specs)
{
  std::vector<FileStamp> stamps;
  for (const auto& spec : specs)
    if (!spec.files.empty() && isJournalled(spec.type))
      stamps.push_back(stampFile(journalPath(spec)));
  return stamps;
}

} // namespace shun::zone
