#pragma once

#include "shun/admin/self_removal_state.hpp"
#include "web/catalog.hpp"
#include "web/lookup.hpp"
#include "web/removal.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace shun::web {

/// A zone's verdict with what the page says about self-removal.
struct ZoneView {
  ZoneVerdict verdict;
  ZoneNotes notes;
  bool removable = false; ///< a self-removal form is offered
  std::string token; ///< the form's CSRF token (FormTokens) when removable
  bool removalKnown = false; ///< removal holds the prediction (listed keys of a managed zone)
  admin::SelfRemovalState removal;
};

/// What every page needs besides its content: the reader's language, the time, the operators' contacts.
struct PageContext {
  Lang lang = Lang::En;
  std::int64_t now = 0;
  std::string path = "/"; ///< this page's path, for the language switch (?lang=)
  std::vector<std::pair<std::string, std::string>> contacts; ///< (zone, "#@contact"), in zone order
};

/// Longest guidance text shown on the page (bytes); the JSON keeps it whole.
inline constexpr std::size_t kMaxHelpBytes = 600;

/// The lookup page: one section per zone, every text HTML-escaped, no JavaScript. Private metadata
/// (source, by and unknown keys such as note=) is never shown.
std::string renderLookupHtml(
    const LookupKey& key, const std::vector<ZoneView>& views, const PageContext& page);
/// The same as JSON (/api/v1/lookup/KEY), language-neutral.
std::string renderLookupJson(const LookupKey& key, const std::vector<ZoneView>& views, std::int64_t now);
/// The start page with a lookup form.
std::string renderIndexHtml(const PageContext& page);
/// A short page with a title and a message (errors, removal outcomes).
std::string renderMessageHtml(
    const PageContext& page, const std::string& title, const std::string& message, const std::string& key);

/// The page's frame up to and including <main> (doctype, lang, inline style, language switch).
std::string pageHead(const PageContext& page, const std::string& title);
/// The lookup form, the contacts and the end of the page.
std::string pageFoot(const PageContext& page);
/// A zone text in lang: texts[name.LANG], else the default, else the other language's variant.
std::string localized(const listing::CodeMeaning* code, const std::string& name, Lang lang);
/// "3 days ago (2026-11-20 10:00 UTC)" as HTML with a <time> element.
std::string timeHtml(const PageContext& page, std::int64_t when);

} // namespace shun::web
