#include "server/tcp_framer.hpp"

#include <algorithm>

namespace shun::server {

std::size_t TcpFramer::feed(std::span<const std::uint8_t> data)
{
  std::size_t taken = 0;
  while (d_haveLength < 2 && taken < data.size()) {
    d_lengthBytes[d_haveLength++] = data[taken++];
    if (d_haveLength == 2) {
      d_length = static_cast<std::size_t>(d_lengthBytes[0]) << 8 | d_lengthBytes[1];
      d_buffer.reserve(d_length);
    }
  }
  if (d_haveLength < 2)
    return taken;
  auto wanted = std::min(d_length - d_buffer.size(), data.size() - taken);
  d_buffer.insert(d_buffer.end(), data.begin() + taken, data.begin() + taken + wanted);
  return taken + wanted;
}

void TcpFramer::next() noexcept
{
  d_haveLength = 0;
  d_length = 0;
  d_buffer.clear();
}

} // namespace shun::server
