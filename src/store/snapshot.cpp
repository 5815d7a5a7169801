#include "shun/store/snapshot.hpp"

namespace shun::store {

const Zone* Snapshot::findZone(std::string_view lowerWireQname) const noexcept
{
  // Label boundaries of qname: a zone matches only a label-aligned suffix.
  std::size_t suffixStart[128];
  std::size_t labels = 0;
  for (std::size_t pos = 0; pos < lowerWireQname.size() && labels < 128;) {
    suffixStart[labels++] = pos;
    auto length = static_cast<unsigned char>(lowerWireQname[pos]);
    if (length == 0)
      break;
    pos += 1 + length;
  }
  for (const Zone& zone : zones) { // most specific first
    if (zone.name.size() > lowerWireQname.size())
      continue;
    std::size_t start = lowerWireQname.size() - zone.name.size();
    for (std::size_t i = 0; i < labels; ++i) {
      if (suffixStart[i] == start) {
        if (lowerWireQname.substr(start) == zone.name)
          return &zone;
        break;
      }
      if (suffixStart[i] > start)
        break;
    }
  }
  return nullptr;
}

} // namespace shun::store
