#pragma once

#include "shun/zone/load.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace shun::server {

/// What stat() says about one data file; any change (or a file appearing/vanishing) means reload.
/// The inode catches a rename(2) of a new file that kept the old size and mtime second.
struct FileStamp {
  std::string path;
  bool exists = false;
  std::int64_t mtimeNs = 0;
  std::int64_t size = 0;
  std::uint64_t inode = 0;
  bool operator==(const FileStamp&) const = default;
};

/// Stamps of every file named by specs, in order.
std::vector<FileStamp> stampFiles(const std::vector<zone::ZoneSpec>& specs);

/// Stamps of shunctl's journals ("<first file>.journal" of every IP or name dataset): cheap enough to
/// poll several times a second, so a shunctl change is served within a second.
std::vector<FileStamp> stampJournals(const std::vector<zone::ZoneSpec>& specs);

} // namespace shun::server
