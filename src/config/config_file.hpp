#pragma once

// The syntax of shund's configuration file (INI/TOML-like): "key = value" lines, values bare, quoted or
// in a [ list ] that may span lines, '#' and ';' comments. Which keys exist is command_line.hpp's business.
#include <cstdint>
#include <string>
#include <vector>

namespace shun::config {

/// One value of a key and the line it is on.
struct FileValue {
  std::string text;
  std::uint32_t line = 0;
};

/// A key and every value given to it, in file order (repeated keys are merged).
struct FileEntry {
  std::string key;
  std::uint32_t line = 0; ///< where the key first appears
  std::vector<FileValue> values;
};

/// Reads path into entries, in order of first appearance. Throws ConfigError "path:line: reason" on a
/// syntax error and "path: reason" if the file cannot be read.
std::vector<FileEntry> readConfigEntries(const std::string& path);

/// "path:line: " (or "path: " for line 0), the prefix of every message about the file.
std::string fileWhere(const std::string& path, std::uint32_t line);

} // namespace shun::config
