#pragma once

#include "shun/zone/gzip.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace shun::zone {

/// What a LineReader accepts.
struct LineLimits {
  bool gunzip = true; ///< false: bytes are taken as they are (-C)
  std::size_t maxLine = 65536; ///< longer lines are reported (tooLong) and skipped
  InflateLimits inflate;
};

/// Reads a data file line by line through a large buffer, gunzipping a gzip file. Lines come without "\n"
/// or "\r\n"; a last line without "\n" is returned too. Only a regular file is opened (a FIFO or a device
/// would block or never end); memory stays bounded by the line limit whatever the file holds.
class LineReader {
public:
  LineReader() = default;
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  /// Opens path; false (with error set) if it cannot be opened or is not a regular file.
  bool open(const std::string& path, const LineLimits& limits, std::string& error);
  /// The next line, valid until the next call; false at the end or on a read error (see error()). A line
  /// over the limit comes back as its first bytes with tooLong() true.
  bool next(std::string_view& line);
  /// Skips count lines as next() would return them (a line over the limit is one line), counting newlines
  /// a block at a time instead of finding each line. Returns how many it skipped: fewer at the end of the
  /// file or on a read error (see error()).
  std::size_t skip(std::size_t count);
  /// The line next() returned was longer than the limit and was cut.
  bool tooLong() const { return d_tooLong; }
  /// A read error ("" if none): an I/O error, corrupt gzip data, text after it, a limit passed.
  const std::string& error() const { return d_error; }

private:
  bool refill();
  long readRaw(char* out, std::size_t room);
  long readInflated(char* out, std::size_t room);
  bool skipLongLine(std::string_view& line);

  int d_fd = -1;
  LineLimits d_limits;
  std::unique_ptr<Inflater> d_inflater; ///< set for a gzip file
  std::vector<char> d_compressed; ///< input for d_inflater
  std::unique_ptr<char[]> d_buffer;
  std::size_t d_bufferSize = 0;
  std::size_t d_begin = 0, d_end = 0;
  bool d_eof = false;
  bool d_tooLong = false;
  std::string d_longPrefix;
  std::string d_error;
};

} // namespace shun::zone
