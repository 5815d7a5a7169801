#pragma once

#include "admin/key.hpp"
#include "shun/admin/editor.hpp"

#include <optional>
#include <string>

namespace shun::admin {

/// What shund answers for a key, computed with the server's own loader and lookup structures.
struct ServedAnswer {
  std::string a; ///< "127.0.0.2"
  std::string txt; ///< expanded TXT, empty if none
};

/// The answer served for key (its first address for a range) from target's data file and journal, or
/// nullopt if it is not listed at now.
std::optional<ServedAnswer> servedAnswer(const ZoneTarget& target, const listing::Key& key, std::int64_t now);

} // namespace shun::admin
