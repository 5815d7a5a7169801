#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace shun::server {

/// Splits a TCP byte stream into DNS messages with RFC 1035 §4.2.2 / RFC 7766 two-byte length framing.
/// Bytes may arrive in any pieces; at most one message (<= 65535 bytes) is buffered. Not thread-safe.
class TcpFramer {
public:
  /// Takes bytes up to the end of the current message; returns how many were taken. Call again with
  /// the rest after handling a complete() message and calling next(). No allocation once the buffer has
  /// grown to the largest message seen.
  std::size_t feed(std::span<const std::uint8_t> data);
  /// A whole message is buffered.
  bool complete() const noexcept { return d_haveLength == 2 && d_buffer.size() == d_length; }
  /// The buffered message (valid until next()).
  std::span<const std::uint8_t> message() const noexcept { return d_buffer; }
  /// Drops the complete message and starts the next frame.
  void next() noexcept;
  /// Some bytes of an unfinished frame are buffered.
  bool partial() const noexcept { return d_haveLength > 0 && !complete(); }

private:
  std::uint8_t d_lengthBytes[2] {};
  std::size_t d_haveLength = 0;
  std::size_t d_length = 0;
  std::vector<std::uint8_t> d_buffer;
};

} // namespace shun::server
