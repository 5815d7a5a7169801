#include "server/service_manager.hpp"

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace shun::server {
namespace {

// One datagram to $NOTIFY_SOCKET, a path or (leading '@') an abstract socket name: the whole protocol
// shund needs. Written here rather than linking libsystemd, whose library and six dependencies cost
// about 1 MiB of resident memory in every shund (issue 14). The variable is kept: reloads notify again.
void notify(std::string_view state) noexcept
{
  const char* path = std::getenv("NOTIFY_SOCKET");
  if (path == nullptr || (path[0] != '/' && path[0] != '@'))
    return;
  sockaddr_un address {};
  address.sun_family = AF_UNIX;
  std::size_t length = std::strlen(path);
  if (length < 2 || length >= sizeof address.sun_path)
    return;
  std::memcpy(address.sun_path, path, length);
  if (path[0] == '@')
    address.sun_path[0] = '\0';
  int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return;
  auto size = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + length);
  ::sendto(fd, state.data(), state.size(), MSG_NOSIGNAL, reinterpret_cast<const sockaddr*>(&address), size);
  ::close(fd);
}

} // namespace

void notifyReady()
{
  notify("READY=1\nSTATUS=serving");
}

void notifyReloading()
{
  notify("RELOADING=1\nSTATUS=reloading");
}

void notifyStopping()
{
  notify("STOPPING=1");
}

} // namespace shun::server
