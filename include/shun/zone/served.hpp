#pragma once

#include "shun/listing/key.hpp"
#include "shun/store/dataset.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace shun::zone {

/// One value a dataset serves for a key, and the entry metadata it was listed with.
struct ServedValue {
  std::uint32_t a = 0; ///< A record, host order (0x7f000002)
  std::string txt; ///< TXT with "$" expanded as DNS answers it; empty if none
  /// dnset: the listed name that matched, the key itself or, for a wildcard "*.spam.example", the name
  /// below which it lists ("spam.example"); empty for addresses
  std::string entryName;
  const listing::Listing* listing
      = nullptr; ///< the entry's "#@" metadata (empty Listing if none); never null
};

/// What dataset serves for key (its first address, for a prefix) at now, in answer order, as the DNS path
/// answers a query for it at the zone apex: expired values and datasets past $TIMESTAMP are not served;
/// a combined dataset answers from its apex children. applicable (if given) is set when the dataset holds
/// keys of the key's family. The one lookup of the web page and `shunctl show`. Pointers into dataset.
std::vector<ServedValue> servedValues(
    const store::Dataset& dataset, const listing::Key& key, std::int64_t now, bool* applicable = nullptr);

} // namespace shun::zone
