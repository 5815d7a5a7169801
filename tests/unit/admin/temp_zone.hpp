#pragma once

#include "admin/safe_file.hpp"
#include "shun/admin/editor.hpp"
#include "temp_dir.hpp"

#include <filesystem>
#include <string>

namespace admintest {

/// Zone bl.example: a data file with content (bl.zone) in a fresh temporary directory, removed with it.
struct TempZone {
  shuntest::TempDir dir;
  std::filesystem::path directory { dir.path() };
  shun::admin::ZoneTarget target;

  explicit TempZone(
      const std::string& content, shun::store::DatasetType type = shun::store::DatasetType::Ip4Trie)
      : target { "bl.example", dir.write("bl.zone", content), type }
  {
  }
  /// The data file's bytes, or those of the file beside it with suffix (".journal"); "" if missing.
  std::string file(const std::string& suffix = "") const
  {
    return shun::admin::readFileOrEmpty(target.dataFile + suffix);
  }
  /// Writes name in the directory with content and returns its path.
  std::string write(const std::string& name, const std::string& content) const
  {
    return dir.write(name, content);
  }
};

} // namespace admintest
