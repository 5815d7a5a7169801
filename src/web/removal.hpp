#pragma once

#include "shun/listing/directives.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shun::web {

/// What the page needs from a zone's data file: its policy and the meaning of its answer codes
/// ("#@code 127.0.0.3 Spam source" lines).
struct ZoneNotes {
  listing::SelfRemovalPolicy policy;
  std::map<std::string, std::string> meanings;
};

/// Parses the "#@selfremoval" and "#@code" lines of a data file's text. A malformed policy line
/// disables self-removal and sets error (file context is the caller's).
ZoneNotes parseZoneNotes(std::string_view text, std::string& error);

} // namespace shun::web
