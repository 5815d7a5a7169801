#pragma once

#include "shun/zone/load.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace shun::zone {

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

/// The stamp of one file (exists false if stat() fails).
FileStamp stampFile(const std::string& file);

/// Stamps of every file named by specs, in order.
std::vector<FileStamp> stampFiles(const std::vector<ZoneSpec>& specs);

/// True if shunctl journals changes to datasets of this type name ("ip4set", ..., "dnset").
bool isJournalled(const std::string& type);

/// shunctl's journal of a dataset: "<first file>.journal".
std::string journalPath(const ZoneSpec& spec);

/// Stamps of shunctl's journals ("<first file>.journal" of every IP or name dataset), in spec order.
std::vector<FileStamp> stampJournals(const std::vector<ZoneSpec>& specs);

} // namespace shun::zone
