#include "shun/store/snapshot.hpp"

#include <cstring>

namespace shun::store {
namespace {

// True if a label of name starts at offset start (name is a well-formed absolute wire name).
bool labelStartsAt(std::string_view name, std::size_t start) noexcept
{
  std::size_t pos = 0;
  while (pos < start)
    pos += 1 + static_cast<unsigned char>(name[pos]);
  return pos == start;
}

} // namespace

const Zone* Snapshot::findZone(std::string_view lowerWireQname) const noexcept
{
  // Compare the bytes first (cheap, usually decisive), then check that the suffix is label-aligned.
  for (const Zone& zone : zones) { // most specific first
    if (zone.name.size() > lowerWireQname.size())
      continue;
    std::size_t start = lowerWireQname.size() - zone.name.size();
    if (std::memcmp(lowerWireQname.data() + start, zone.name.data(), zone.name.size()) == 0
        && labelStartsAt(lowerWireQname, start))
      return &zone;
  }
  return nullptr;
}

} // namespace shun::store
