#pragma once

#include "web/lookup.hpp"
#include "web/removal.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace shun::web {

/// A zone's verdict with what the page says about self-removal.
struct ZoneView {
  ZoneVerdict verdict;
  ZoneNotes notes;
  bool removable = false; ///< a self-removal form is offered
  std::string token; ///< the form's CSRF token (FormTokens) when removable
};

/// The lookup page: one section per zone, every text HTML-escaped, no JavaScript. Private metadata
/// (source, by and unknown keys such as note=) is never shown.
std::string renderLookupHtml(const LookupKey& key, const std::vector<ZoneView>& views, std::int64_t now);
/// The same as JSON (/api/v1/lookup/KEY).
std::string renderLookupJson(const LookupKey& key, const std::vector<ZoneView>& views, std::int64_t now);
/// The start page with a lookup form.
std::string renderIndexHtml();
/// A short page with a title and a message (errors, removal outcomes).
std::string renderMessageHtml(const std::string& title, const std::string& message, const std::string& key);

} // namespace shun::web
