#include "zone/line_reader.hpp"

#include <cerrno>
#include <cstring>

namespace shun::zone {
namespace {

constexpr std::size_t kBufferSize = std::size_t { 1 } << 20;

} // namespace

bool LineReader::open(const std::string& path, bool gunzip, std::string& error)
{
  errno = 0;
  if (gunzip) {
    d_gz.reset(gzopen(path.c_str(), "rb"));
    if (d_gz)
      gzbuffer(d_gz.get(), 256 * 1024);
  } else {
    d_plain.reset(std::fopen(path.c_str(), "rb"));
  }
  if (!d_gz && !d_plain) {
    error = std::string("cannot open: ") + (errno ? std::strerror(errno) : "out of memory");
    return false;
  }
  d_buffer.resize(kBufferSize);
  return true;
}

// Moves the unfinished line to the front and reads more after it; the buffer grows for very long lines.
bool LineReader::refill()
{
  if (d_eof)
    return false;
  std::memmove(d_buffer.data(), d_buffer.data() + d_begin, d_end - d_begin);
  d_end -= d_begin;
  d_begin = 0;
  if (d_end == d_buffer.size())
    d_buffer.resize(d_buffer.size() * 2);
  std::size_t room = d_buffer.size() - d_end;
  long got = 0;
  if (d_gz) {
    got = gzread(d_gz.get(), d_buffer.data() + d_end, static_cast<unsigned>(room));
    if (got < 0) {
      int code = 0;
      d_error = std::string("read error: ") + gzerror(d_gz.get(), &code);
    }
  } else {
    got = static_cast<long>(std::fread(d_buffer.data() + d_end, 1, room, d_plain.get()));
    if (got == 0 && std::ferror(d_plain.get()))
      d_error = std::string("read error: ") + std::strerror(errno);
  }
  if (got <= 0) {
    d_eof = true;
    return false;
  }
  d_end += static_cast<std::size_t>(got);
  return true;
}

bool LineReader::next(std::string_view& line)
{
  std::size_t scanned = d_begin;
  while (true) {
    const char* start = d_buffer.data() + scanned;
    const void* newline = std::memchr(start, '\n', d_end - scanned);
    if (newline) {
      std::size_t end = static_cast<std::size_t>(static_cast<const char*>(newline) - d_buffer.data());
      line = std::string_view(d_buffer.data() + d_begin, end - d_begin);
      d_begin = end + 1;
      break;
    }
    scanned = d_end - d_begin; // offset of unscanned bytes once refill moves the line to the front
    if (!refill()) {
      if (d_begin == d_end || !d_error.empty())
        return false;
      line = std::string_view(d_buffer.data() + d_begin, d_end - d_begin); // last line without '\n'
      d_begin = d_end;
      break;
    }
  }
  if (!line.empty() && line.back() == '\r')
    line.remove_suffix(1); // CRLF files: rbldnsd would keep the '\r' and break the entry
  return true;
}

} // namespace shun::zone
