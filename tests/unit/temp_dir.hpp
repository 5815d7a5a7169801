#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace shuntest {

/// A fresh temporary directory, removed with its files at scope exit; path() is "" if none could be made.
class TempDir {
public:
  TempDir()
  {
    std::string pattern = (std::filesystem::temp_directory_path() / "shun-test-XXXXXX").string();
    d_path = ::mkdtemp(pattern.data()) ? pattern : std::string();
  }
  ~TempDir()
  {
    if (!d_path.empty())
      std::filesystem::remove_all(d_path);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  /// The path of name in the directory.
  std::string file(const std::string& name) const { return d_path + "/" + name; }
  /// Writes name with content (bytes as they are) and returns its path.
  std::string write(const std::string& name, const std::string& content) const
  {
    std::string path = file(name);
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }
  const std::string& path() const { return d_path; }

private:
  std::string d_path;
};

} // namespace shuntest
