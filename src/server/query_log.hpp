#pragma once

#include "server/handles.hpp"
#include "shun/config/config.hpp"
#include "shun/query/answer.hpp"

#include <array>
#include <atomic>
#include <cstdint>
#include <span>
#include <string>
#include <sys/socket.h>

namespace shun::server {

/// The "-l" query log file shared by all workers. Its descriptor number stays fixed for the life of the
/// process: reopen() replaces the file under it with dup2, so workers never see a closed descriptor.
class QueryLogFile {
public:
  /// Opens file ("-": standard output). Throws config::ConfigError with the reason.
  explicit QueryLogFile(const config::OutputFile& file);
  /// Reopens the file (after logrotate moved it). Returns false and leaves the old one on failure.
  bool reopen(std::string& error);
  int fd() const noexcept { return d_fd.get(); }
  bool unbuffered() const noexcept { return d_unbuffered; }

private:
  std::string d_path;
  bool d_unbuffered = false;
  UniqueFd d_fd;
};

/// One worker's query-log buffer: lines are formatted into a fixed buffer and written to the file in
/// blocks of whole lines (or one by one when unbuffered). Owned and used by one worker thread; no
/// allocation.
class QueryLogBuffer {
public:
  explicit QueryLogBuffer(const QueryLogFile& file)
      : d_file(file)
  {
  }
  /// Logs one answered query from client.
  void log(std::int64_t now, const sockaddr* client, std::span<const std::uint8_t> query,
      const query::Result& result) noexcept;
  /// Writes out whatever is buffered.
  void flush() noexcept;

private:
  static constexpr std::size_t kSize = std::size_t { 64 } * 1024;
  static constexpr std::size_t kLineMax = 1100; // a 255-byte name escaped to 4x plus the rest
  const QueryLogFile& d_file;
  std::array<char, kSize> d_buffer;
  std::size_t d_used = 0;
};

} // namespace shun::server
