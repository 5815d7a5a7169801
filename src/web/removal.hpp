#pragma once

#include "shun/listing/directives.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shun::web {

/// What the page needs from a zone's data file: its policy, the meaning of its answer codes with their
/// guidance ("#@code 127.0.0.3 Spam source help=\"...\"" lines) and the operator's contact.
struct ZoneNotes {
  listing::SelfRemovalPolicy policy;
  std::map<std::string, std::string> meanings;
  std::map<std::string, listing::CodeMeaning> codes; ///< by code, with help and per-language texts
  std::string contact; ///< "#@contact": an e-mail address or an http(s) URL; empty: none
};

/// Parses the "#@selfremoval", "#@code" and "#@contact" lines of a data file's text. A malformed policy
/// line disables self-removal and sets error (file context is the caller's).
ZoneNotes parseZoneNotes(std::string_view text, std::string& error);

} // namespace shun::web
