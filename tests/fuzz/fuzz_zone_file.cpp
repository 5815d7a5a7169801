// libFuzzer target for the zone-file loader: the first byte picks a dataset type, the rest is the data
// file (plain or gzip). Loading must never crash, throw or hang whatever the bytes, and every problem is
// a diagnostic naming the file. The BIND dump is left to its unit tests: it only walks what a load built
// (it was dropped here when every IPv4 map had 65,536 buckets to walk; the table now spans the used /16s).
#include "shun/zone/load.hpp"

#include <array>
#include <cstdlib>
#include <string>
#include <sys/mman.h>
#include <unistd.h>

namespace {

using namespace shun;

constexpr std::array<const char*, 9> kTypes { "ip4set", "ip4trie", "ip4tset", "ip6trie", "ip6tset", "dnset",
  "generic", "combined", "acl" };

// The data file: a memfd (a regular file) named through /proc, rewritten for every input.
int dataFile()
{
  static int fd = ::memfd_create("zone", 0);
  return fd;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  if (size < 1 || dataFile() < 0)
    return 0;
  int fd = dataFile();
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, data + 1, size - 1, 0) != static_cast<ssize_t>(size - 1))
    return 0;
  std::string type = kTypes[data[0] % kTypes.size()];
  std::string path = "/proc/self/fd/" + std::to_string(fd);
  zone::LoadOptions options;
  options.now = 1'795'000'000;
  options.acceptHostBits = (data[0] & 0x80) != 0;
  options.maxLineLength = 4096;
  options.gzipMaxBytes = 1 << 24;
  zone::ZoneSpec spec;
  spec.zone = type == "acl" ? "" : "bl.example";
  spec.type = type;
  spec.files = { path };
  try {
    zone::LoadResult result = zone::loadSnapshot({ spec }, options);
    for (const zone::Diagnostic& diagnostic : result.diagnostics)
      if (diagnostic.file != path || diagnostic.message.size() > 1000)
        std::abort();
  } catch (const std::exception&) {
    // a spec the loader refuses as configuration (an acl alone): not the file's fault
  }
  return 0;
}
