#pragma once

#include <cstddef>
#include <string_view>

namespace shun::store::detail {

/// Longest reversed key: a wire name is at most 255 bytes, and the key has the same length.
inline constexpr std::size_t kMaxNameKey = 256;
inline constexpr std::size_t kBadName = static_cast<std::size_t>(-1);

/// Writes the sort key of a relative wire name: its labels in reverse order, each followed by '\0', with
/// ASCII lower-cased. "\3www\7example" -> "example\0www\0". A name's key is a prefix of every descendant's
/// key, so a subtree is one contiguous run of a sorted array. Returns the key length, or kBadName if wire is
/// malformed.
inline std::size_t reversedKey(std::string_view wire, char* out) noexcept
{
  std::size_t labelStarts[128];
  std::size_t labels = 0;
  for (std::size_t pos = 0; pos < wire.size();) {
    auto length = static_cast<unsigned char>(wire[pos]);
    if (length == 0 || length > 63 || pos + 1 + length > wire.size() || labels == 128)
      return kBadName;
    labelStarts[labels++] = pos;
    pos += 1 + length;
  }
  std::size_t outLength = 0;
  while (labels > 0) {
    std::size_t pos = labelStarts[--labels];
    auto length = static_cast<unsigned char>(wire[pos]);
    for (std::size_t i = 1; i <= length; ++i) {
      char c = wire[pos + i];
      out[outLength++] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
    }
    out[outLength++] = '\0';
  }
  return outLength;
}

} // namespace shun::store::detail
