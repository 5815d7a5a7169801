#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>
#include <zlib.h>

namespace shun::zone {

/// Reads a data file line by line through a large buffer, gunzipping transparently (zlib reads plain
/// files as they are). Lines come without "\n" or "\r\n"; a last line without "\n" is returned too.
class LineReader {
public:
  /// Opens path; false (with error set) if it cannot be opened. gunzip false: bytes are taken as they are.
  bool open(const std::string& path, bool gunzip, std::string& error);
  /// The next line, valid until the next call; false at the end or on a read error (see error()).
  bool next(std::string_view& line);
  /// A read error ("" if none).
  const std::string& error() const { return d_error; }

private:
  struct GzClose {
    void operator()(gzFile file) const { gzclose(file); }
  };
  struct FileClose {
    void operator()(std::FILE* file) const { std::fclose(file); }
  };
  bool refill();
  std::unique_ptr<gzFile_s, GzClose> d_gz;
  std::unique_ptr<std::FILE, FileClose> d_plain;
  std::vector<char> d_buffer;
  std::size_t d_begin = 0, d_end = 0;
  bool d_eof = false;
  std::string d_error;
};

} // namespace shun::zone
