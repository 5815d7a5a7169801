#pragma once

#include "shun/listing/key.hpp"
#include "shun/store/dataset.hpp"

#include <string>

namespace shun::admin {

/// True if a key of this family can be stored in a dataset of this type; else error names the mismatch.
/// (Here, not in listing, because store's DatasetType sits above listing in the module order.)
bool fitsDataset(const listing::Key& key, store::DatasetType type, std::string& error);

/// The key as written in a data file of this type (ip6tset lists /64s as four groups).
std::string zoneSpelling(const listing::Key& key, store::DatasetType type);

} // namespace shun::admin
