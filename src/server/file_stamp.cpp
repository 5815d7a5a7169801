#include "server/file_stamp.hpp"

#include <sys/stat.h>

namespace shun::server {

std::vector<FileStamp> stampFiles(const std::vector<zone::ZoneSpec>& specs)
{
  std::vector<FileStamp> stamps;
  for (const auto& spec : specs) {
    for (const auto& file : spec.files) {
      FileStamp stamp;
      stamp.path = file;
      struct stat info { };
      if (::stat(file.c_str(), &info) == 0) {
        stamp.exists = true;
        stamp.mtimeNs = static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec;
        stamp.size = info.st_size;
        stamp.inode = info.st_ino;
      }
      stamps.push_back(std::move(stamp));
    }
  }
  return stamps;
}

} // namespace shun::server
