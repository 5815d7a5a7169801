#include "admin/request_history.hpp"

#include "admin/safe_file.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

namespace shun::admin {
namespace {

constexpr std::size_t kChunk = std::size_t { 1 } << 20;

struct Fd {
  int fd = -1;
  ~Fd()
  {
    if (fd >= 0)
      ::close(fd);
  }
};

FileError failure(const std::string& what, const std::string& path)
{
  return FileError(what + " " + path + ": " + std::strerror(errno)); // NOLINT(concurrency-mt-unsafe)
}

} // namespace

void RequestHistory::add(const RemovalRequest& request)
{
  if (request.outcome != "granted" && request.outcome != "approved")
    return;
  d_byKey[request.key].push_back(request.time);
  d_zone.push_back(request.time);
}

void RequestHistory::refresh(const std::string& path)
{
  Fd file { ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW) };
  if (file.fd < 0 && errno != ENOENT)
    throw failure("cannot read", path);
  struct stat info { };
  if (file.fd >= 0 && ::fstat(file.fd, &info) != 0)
    throw failure("cannot stat", path);
  auto size = static_cast<std::uint64_t>(file.fd >= 0 ? info.st_size : 0);
  std::string head(std::min<std::uint64_t>(d_head.size(), size), '\0');
  if (file.fd >= 0 && ::pread(file.fd, head.data(), head.size(), 0) != static_cast<ssize_t>(head.size()))
    throw failure("cannot read", path);
  if (file.fd < 0 || info.st_dev != d_device || info.st_ino != d_inode || size < d_offset || head != d_head) {
    *this = RequestHistory {}; // rotated, replaced or truncated: read it from the start
    d_device = file.fd >= 0 ? info.st_dev : 0;
    d_inode = file.fd >= 0 ? info.st_ino : 0;
  }
  std::string chunk(kChunk, '\0');
  while (file.fd >= 0 && d_offset < size) {
    ssize_t got = ::pread(file.fd, chunk.data(), chunk.size(), static_cast<off_t>(d_offset));
    if (got < 0)
      throw failure("cannot read", path);
    if (got == 0)
      break;
    if (d_head.size() < 64)
      d_head.append(chunk.data(), std::min<std::size_t>(64 - d_head.size(), static_cast<std::size_t>(got)));
    d_offset += static_cast<std::uint64_t>(got);
    d_partial.append(chunk.data(), static_cast<std::size_t>(got));
    auto lastNewline = d_partial.rfind('\n');
    if (lastNewline == std::string::npos)
      continue;
    for (const auto& request : parseRequests(std::string_view(d_partial).substr(0, lastNewline + 1)))
      add(request);
    d_partial.erase(0, lastNewline + 1);
  }
}

std::vector<RemovalRequest> RequestHistory::granted(const std::string& key) const
{
  std::vector<RemovalRequest> out;
  if (auto found = d_byKey.find(key); found != d_byKey.end())
    for (std::int64_t time : found->second)
      out.push_back({ time, key, "", "granted" });
  return out;
}

std::size_t RequestHistory::grantedSince(std::int64_t since) const
{
  return static_cast<std::size_t>(
      std::count_if(d_zone.begin(), d_zone.end(), [&](auto t) { return t >= since; }));
}

void RequestHistory::forget(std::int64_t before)
{
  while (!d_zone.empty() && d_zone.front() < before)
    d_zone.pop_front();
  for (auto it = d_byKey.begin(); it != d_byKey.end();) {
    std::erase_if(it->second, [&](auto t) { return t < before; });
    it = it->second.empty() ? d_byKey.erase(it) : std::next(it);
  }
}

std::pair<std::unique_lock<std::mutex>, RequestHistory*> lockRequestHistory(const std::string& path)
{
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<RequestHistory>> histories;
  std::unique_lock lock(mutex);
  auto& history = histories[path];
  if (!history)
    history = std::make_unique<RequestHistory>();
  return { std::move(lock), history.get() };
}

std::vector<RemovalRequest> pendingRequests(const std::vector<RemovalRequest>& log)
{
  std::map<std::string, const RemovalRequest*> open;
  for (const auto& request : log) {
    if (request.outcome == "queued")
      open[request.key] = &request;
    else if (request.outcome == "approved" || request.outcome == "denied")
      open.erase(request.key);
  }
  std::vector<RemovalRequest> out;
  out.reserve(open.size());
  for (const auto& [key, request] : open)
    out.push_back(*request);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.time < b.time; });
  return out;
}

bool rotateRequests(
    const std::string& path, std::uint64_t maxBytes, std::int64_t keepSince, const FileOwner& owner)
{
  struct stat info { };
  if (::lstat(path.c_str(), &info) != 0 || static_cast<std::uint64_t>(info.st_size) <= maxBytes)
    return false;
  // Streamed a line at a time: only what is kept is held in memory.
  std::ifstream in(path);
  if (!in)
    throw failure("cannot read", path);
  std::string kept;
  std::map<std::string, RemovalRequest> open; // the latest queued request per key, until decided
  for (std::string line; std::getline(in, line);) {
    if (line.ends_with("not-listed") || line.find(" refused-") != std::string::npos)
      continue; // most lines; only grants and the operator's queue are kept
    auto request = parseRequest(line);
    if (!request)
      continue;
    if ((request->outcome == "granted" || request->outcome == "approved") && request->time >= keepSince)
      kept += formatRequest(*request);
    if (request->outcome == "queued")
      open[request->key] = *request;
    else if (request->outcome == "approved" || request->outcome == "denied")
      open.erase(request->key);
  }
  std::vector<RemovalRequest> pending;
  pending.reserve(open.size());
  for (auto& [key, request] : open)
    pending.push_back(std::move(request));
  std::sort(pending.begin(), pending.end(), [](const auto& a, const auto& b) { return a.time < b.time; });
  for (const auto& request : pending)
    kept += formatRequest(request);
  if (::rename(path.c_str(), (path + ".1").c_str()) != 0)
    throw failure("cannot rotate", path);
  replaceAtomically(path, kept, owner);
  return true;
}

} // namespace shun::admin
