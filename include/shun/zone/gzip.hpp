#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <zlib.h>

namespace shun::zone {

/// How far a gzip data file may expand: a gzip bomb is a load error, not a server out of memory.
struct InflateLimits {
  std::uint64_t maxBytes = std::uint64_t { 16 } << 30; ///< decompressed bytes, whole file
  std::uint32_t maxRatio = 1000; ///< decompressed bytes per compressed byte (after the first MiB)
};

/// True if bytes start with the gzip magic number (RFC 1952).
bool isGzip(std::string_view bytes);

/// Decompresses gzip data fed to it in pieces: one or more gzip members (as gzip(1) writes and reads
/// them), nothing else after them. One thread.
class Inflater {
public:
  explicit Inflater(const InflateLimits& limits);
  ~Inflater();
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;

  /// Gives the next compressed bytes; they must stay valid until output() has taken them all.
  void input(std::string_view compressed);
  /// Decompresses into out (up to room bytes); returns how many, 0 when the input given is used up.
  /// -1 on an error (error() says what: corrupt data, text after the stream, a limit passed).
  long output(char* out, std::size_t room);
  /// At the end of the input: "" if the data ended cleanly after a whole gzip member, else the problem.
  std::string finish();
  const std::string& error() const { return d_error; }

private:
  z_stream d_stream {};
  InflateLimits d_limits;
  std::uint64_t d_in = 0, d_out = 0; ///< compressed bytes consumed, decompressed bytes produced
  bool d_ended = false; ///< a member ended and no next one started yet
  std::string d_error;
};

/// The whole of a gzip text decompressed; nullopt with error set if it is corrupt or passes limits.
std::optional<std::string> gunzip(
    std::string_view compressed, const InflateLimits& limits, std::string& error);

/// text compressed as one gzip member.
std::string gzip(std::string_view text);

} // namespace shun::zone
