#pragma once

#include "shun/listing/key.hpp"
#include "shun/store/dataset.hpp"

#include <string>
#include <vector>

namespace shun::admin {

/// True if a key of this family can be stored in a dataset of this type; else error names the mismatch.
/// (Here, not in listing, because store's DatasetType sits above listing in the module order.)
bool fitsDataset(const listing::Key& key, store::DatasetType type, std::string& error);

/// The key as written in a data file of this type (ip6tset lists /64s as four groups).
std::string zoneSpelling(const listing::Key& key, store::DatasetType type);

/// How a data file of this type may spell each key that covers key, itself included: its shorter
/// prefixes (an IP key) or its wildcard ancestors (a name), plain and as exclusions ("!192.0.2.0/28").
/// The focus of a ManagedZone load that finds the entries deciding key.
std::vector<std::string> coveringSpellings(const listing::Key& key, store::DatasetType type);

} // namespace shun::admin
