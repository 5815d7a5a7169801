#include "zone/line_reader.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace shun::zone {
namespace {

constexpr std::size_t kBufferSize = std::size_t { 1 } << 20;
// Each read fills at most this much after the unfinished line, so a big file touches only about this and
// one line of the buffer (1 MiB of it would be a tenth of an IPv6 list's peak RSS).
constexpr std::size_t kReadChunk = std::size_t { 64 } << 10;
constexpr std::size_t kCompressedSize = std::size_t { 256 } << 10;
constexpr std::size_t kLongPrefix = 64; // what a diagnostic shows of an over-long line

// The newlines in size bytes. Byte-wide counters over at most 240 bytes let the compiler compare and
// count 16 or 32 bytes an instruction each (std::count widens every byte to 64 bits: three times slower).
std::size_t countNewlines(const char* from, std::size_t size)
{
  std::size_t total = 0;
  while (size) {
    std::size_t part = std::min<std::size_t>(size, 240);
    std::uint8_t count = 0;
    for (std::size_t i = 0; i < part; ++i)
      count += from[i] == '\n';
    total += count;
    from += part;
    size -= part;
  }
  return total;
}

} // namespace

LineReader::~LineReader()
{
  if (d_fd >= 0)
    ::close(d_fd);
}

bool LineReader::open(const std::string& path, const LineLimits& limits, std::string& error)
{
  d_limits = limits;
  // O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses anything but a regular file.
  d_fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (d_fd < 0) {
    error = std::string("cannot open: ") + std::strerror(errno);
    return false;
  }
  struct stat info { };
  if (::fstat(d_fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    error = "not a regular file (a FIFO, device or directory is never read as data)";
    return false;
  }
  ::fcntl(d_fd, F_SETFL, ::fcntl(d_fd, F_GETFL) & ~O_NONBLOCK);
  char magic[2] = {};
  if (d_limits.gunzip && ::pread(d_fd, magic, 2, 0) == 2 && isGzip(std::string_view(magic, 2))) {
    d_inflater = std::make_unique<Inflater>(d_limits.inflate);
    d_compressed.resize(kCompressedSize);
  }
  // Not zero-filled: a page is touched only when data is read into it (a small file costs one page, not
  // a megabyte of page faults: what kept the zone-file fuzzer slow). A small plain file needs no more than
  // its size (the sanitizers map and poison a megabyte on every load otherwise).
  std::size_t wanted = d_inflater ? kBufferSize : std::min<std::size_t>(kBufferSize, info.st_size + 1);
  d_bufferSize = std::max(wanted, 2 * d_limits.maxLine + 2);
  d_buffer = std::make_unique_for_overwrite<char[]>(d_bufferSize);
  return true;
}

long LineReader::readRaw(char* out, std::size_t room)
{
  while (true) {
    ssize_t got = ::read(d_fd, out, room);
    if (got >= 0)
      return static_cast<long>(got);
    if (errno != EINTR) {
      d_error = std::string("read error: ") + std::strerror(errno);
      return -1;
    }
  }
}

long LineReader::readInflated(char* out, std::size_t room)
{
  while (true) {
    long got = d_inflater->output(out, room);
    if (got != 0) {
      if (got < 0)
        d_error = d_inflater->error();
      return got;
    }
    long raw = readRaw(d_compressed.data(), d_compressed.size());
    if (raw < 0)
      return -1;
    if (raw == 0) {
      d_error = d_inflater->finish();
      return d_error.empty() ? 0 : -1;
    }
    d_inflater->input(std::string_view(d_compressed.data(), static_cast<std::size_t>(raw)));
  }
}

// Moves the unfinished line to the front and reads more after it. Lines never outgrow half the buffer
// (skipLongLine), so there is always room; the pages beyond the line and one chunk are never touched.
bool LineReader::refill()
{
  if (d_eof)
    return false;
  std::memmove(d_buffer.get(), d_buffer.get() + d_begin, d_end - d_begin);
  d_end -= d_begin;
  d_begin = 0;
  std::size_t room = std::min(d_bufferSize - d_end, kReadChunk);
  long got = d_inflater ? readInflated(d_buffer.get() + d_end, room) : readRaw(d_buffer.get() + d_end, room);
  if (got <= 0) {
    d_eof = true;
    return false;
  }
  d_end += static_cast<std::size_t>(got);
  return true;
}

// Drops the rest of a line over the limit, keeping its first bytes for the diagnostic.
bool LineReader::skipLongLine(std::string_view& line)
{
  d_longPrefix.assign(d_buffer.get() + d_begin, std::min(kLongPrefix, d_end - d_begin));
  d_begin = d_end;
  while (refill()) {
    const void* newline = std::memchr(d_buffer.get() + d_begin, '\n', d_end - d_begin);
    if (newline) {
      d_begin = static_cast<std::size_t>(static_cast<const char*>(newline) - d_buffer.get()) + 1;
      break;
    }
    d_begin = d_end;
  }
  if (!d_error.empty())
    return false;
  line = d_longPrefix;
  d_tooLong = true;
  return true;
}

bool LineReader::next(std::string_view& line)
{
  d_tooLong = false;
  std::size_t scanned = d_begin;
  while (true) {
    const char* start = d_buffer.get() + scanned;
    const void* newline = std::memchr(start, '\n', d_end - scanned);
    if (newline) {
      std::size_t end = static_cast<std::size_t>(static_cast<const char*>(newline) - d_buffer.get());
      if (end - d_begin > d_limits.maxLine) { // ends in the buffer: nothing to skip
        d_longPrefix.assign(d_buffer.get() + d_begin, std::min(kLongPrefix, end - d_begin));
        d_begin = end + 1;
        line = d_longPrefix;
        d_tooLong = true;
        return true;
      }
      line = std::string_view(d_buffer.get() + d_begin, end - d_begin);
      d_begin = end + 1;
      break;
    }
    if (d_end - d_begin > d_limits.maxLine)
      return skipLongLine(line);
    scanned = d_end; // unscanned bytes start here, or at d_end - d_begin once refill moves the line
    std::size_t moved = d_end - d_begin;
    if (!refill()) {
      if (d_begin == d_end || !d_error.empty())
        return false;
      line = std::string_view(d_buffer.get() + d_begin, d_end - d_begin); // last line without '\n'
      d_begin = d_end;
      break;
    }
    scanned = moved;
  }
  if (!line.empty() && line.back() == '\r')
    line.remove_suffix(1); // CRLF files: rbldnsd would keep the '\r' and break the entry
  return true;
}

// Blocks of kSkipBlock bytes with fewer newlines than are left to skip are passed whole (countNewlines); the
// block with the last one is walked line by line. A line may be left half passed between blocks: its newline
// counts it when it comes.
std::size_t LineReader::skip(std::size_t count)
{
  constexpr std::size_t kSkipBlock = 4096;
  std::size_t skipped = 0;
  bool inLine = false; // bytes of an unfinished line were passed
  while (skipped < count) {
    if (d_begin == d_end && !refill()) {
      skipped += inLine && d_error.empty(); // a last line without '\n', as next() returns it
      break;
    }
    const char* from = d_buffer.get() + d_begin;
    std::size_t block = std::min(d_end - d_begin, kSkipBlock);
    std::size_t newlines = countNewlines(from, block);
    if (skipped + newlines < count) {
      d_begin += block;
      skipped += newlines;
      inLine = from[block - 1] != '\n';
      continue;
    }
    while (skipped < count) { // the block holds the count-th newline
      const char* newline
          = static_cast<const char*>(std::memchr(d_buffer.get() + d_begin, '\n', d_end - d_begin));
      d_begin = static_cast<std::size_t>(newline - d_buffer.get()) + 1;
      ++skipped;
    }
    inLine = false;
  }
  return skipped;
}

} // namespace shun::zone
