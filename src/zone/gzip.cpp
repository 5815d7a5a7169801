#include "shun/zone/gzip.hpp"

#include <algorithm>
#include <stdexcept>

namespace shun::zone {
namespace {

constexpr int kGzipOnly = 16 + MAX_WBITS; // windowBits for a gzip wrapper, no zlib or raw streams
constexpr std::uint64_t kRatioGrace = std::uint64_t { 1 } << 20; // small files may expand a lot

} // namespace

bool isGzip(std::string_view bytes)
{
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f
      && static_cast<unsigned char>(bytes[1]) == 0x8b;
}

Inflater::Inflater(const InflateLimits& limits)
    : d_limits(limits)
{
  if (inflateInit2(&d_stream, kGzipOnly) != Z_OK)
    d_error = "cannot start zlib";
}

Inflater::~Inflater()
{
  inflateEnd(&d_stream);
}

void Inflater::input(std::string_view compressed)
{
  d_stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  d_stream.avail_in = static_cast<uInt>(compressed.size());
}

long Inflater::output(char* out, std::size_t room)
{
  if (!d_error.empty())
    return -1;
  d_stream.next_out = reinterpret_cast<Bytef*>(out);
  d_stream.avail_out = static_cast<uInt>(std::min<std::size_t>(room, UINT32_MAX));
  uInt wanted = d_stream.avail_out;
  while (d_stream.avail_out > 0) {
    if (d_ended) { // gzip(1) reads concatenated members; anything else after a member is an error
      if (d_stream.avail_in == 0)
        break;
      if (*d_stream.next_in != 0x1f) {
        d_error = "data after the end of the gzip stream, at compressed byte " + std::to_string(d_in);
        return -1;
      }
      inflateReset(&d_stream);
      d_ended = false;
    }
    uInt inBefore = d_stream.avail_in, outBefore = d_stream.avail_out;
    int rc = inflate(&d_stream, Z_NO_FLUSH);
    d_in += inBefore - d_stream.avail_in;
    d_out += outBefore - d_stream.avail_out;
    if (rc == Z_STREAM_END)
      d_ended = true;
    else if (rc == Z_BUF_ERROR)
      break; // needs more input
    else if (rc != Z_OK) {
      d_error = std::string("corrupt gzip data: ") + (d_stream.msg ? d_stream.msg : "inflate failed");
      return -1;
    }
    if (d_out > d_limits.maxBytes) {
      d_error = "decompresses to more than " + std::to_string(d_limits.maxBytes) + " bytes (gzip-max-bytes)";
      return -1;
    }
    if (d_out > kRatioGrace && d_out / std::max<std::uint64_t>(d_in, 1) > d_limits.maxRatio) {
      d_error = "expands more than " + std::to_string(d_limits.maxRatio)
          + " times (gzip-max-ratio): refusing what looks like a gzip bomb";
      return -1;
    }
  }
  return static_cast<long>(wanted - d_stream.avail_out);
}

std::string Inflater::finish()
{
  if (!d_error.empty())
    return d_error;
  if (!d_ended)
    return "the gzip stream is cut short (a truncated file)";
  return {};
}

std::optional<std::string> gunzip(
    std::string_view compressed, const InflateLimits& limits, std::string& error)
{
  Inflater inflater(limits);
  inflater.input(compressed);
  std::string text;
  std::size_t chunk = std::max<std::size_t>(compressed.size() * 4, 1 << 16);
  while (true) {
    std::size_t used = text.size();
    text.resize(used + chunk);
    long got = inflater.output(text.data() + used, chunk);
    text.resize(used + static_cast<std::size_t>(std::max(got, 0L)));
    if (got <= 0)
      break;
  }
  error = inflater.finish();
  if (!error.empty())
    return std::nullopt;
  return text;
}

std::string gzip(std::string_view text)
{
  z_stream stream {};
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, kGzipOnly, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("cannot start zlib");
  std::string out(deflateBound(&stream, static_cast<uLong>(text.size())), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  if (rc != Z_STREAM_END)
    throw std::runtime_error("gzip compression failed");
  return out;
}

} // namespace shun::zone
