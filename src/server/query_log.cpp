#include "server/query_log.hpp"

#include "shun/metrics/format.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <system_error>

namespace shun::server {

namespace {

int openLog(const std::string& path)
{
  return ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
}

void writeAll(int fd, const char* data, std::size_t length) noexcept
{
  while (length > 0) {
    auto written = ::write(fd, data, length);
    if (written < 0 && errno == EINTR)
      continue;
    if (written <= 0)
      return; // a full disk loses log lines, never queries
    data += written;
    length -= static_cast<std::size_t>(written);
  }
}

} // namespace

QueryLogFile::QueryLogFile(const config::OutputFile& file)
    : d_path(file.path)
    , d_unbuffered(file.plus)
{
  if (d_path == "-") {
    d_fd.reset(::dup(STDOUT_FILENO));
    return;
  }
  d_fd.reset(openLog(d_path));
  if (!d_fd)
    throw config::ConfigError(
        "cannot open query log " + d_path + ": " + std::generic_category().message(errno));
}

bool QueryLogFile::reopen(std::string& error)
{
  if (d_path == "-")
    return true;
  UniqueFd fresh(openLog(d_path));
  if (!fresh || ::dup2(fresh.get(), d_fd.get()) < 0) {
    error = "cannot reopen query log " + d_path + ": " + std::generic_category().message(errno);
    return false;
  }
  return true;
}

void QueryLogBuffer::log(std::int64_t now, const sockaddr* client, std::span<const std::uint8_t> query,
    const query::Result& result) noexcept
{
  char address[INET6_ADDRSTRLEN] = "?";
  if (client->sa_family == AF_INET)
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(client)->sin_addr, address, sizeof address);
  else if (client->sa_family == AF_INET6)
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(client)->sin6_addr, address, sizeof address);
  if (kSize - d_used < kLineMax)
    flush();
  std::span<char> room(d_buffer.data() + d_used, kSize - d_used);
  d_used += metrics::formatQueryLogLine(room, now, address, query, result);
  if (d_file.unbuffered())
    flush();
}

void QueryLogBuffer::flush() noexcept
{
  if (d_used > 0)
    writeAll(d_file.fd(), d_buffer.data(), d_used);
  d_used = 0;
}

} // namespace shun::server
