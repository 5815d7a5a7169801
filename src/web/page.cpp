#include "web/page.hpp"

#include "shun/admin/json.hpp"
#include "shun/listing/listing.hpp"

namespace shun::web {
namespace {

std::string timeText(std::int64_t when, const char* unset)
{
  return when ? listing::formatUtcTime(when) : unset;
}

std::string head(const std::string& title)
{
  return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + htmlEscape(title)
      + "</title><style>body{font-family:sans-serif;max-width:50em;margin:2em auto;padding:0 1em}"
        "th{text-align:left;padding-right:1em}.listed{color:#a00}.clean{color:#070}</style></head><body>\n";
}

const char* kLookupForm = "<form method=\"get\" action=\"/lookup\"><label>IP address or domain: <input "
                          "name=\"key\" maxlength=\"253\"></label> <button>Look up</button></form>\n";

std::string meaningOf(const ZoneView& view, const std::string& code)
{
  auto found = view.notes.meanings.find(code);
  return found != view.notes.meanings.end() ? found->second : codeMeaning(code);
}

void row(std::string& out, const char* name, const std::string& value)
{
  out += "<tr><th>" + std::string(name) + "</th><td>" + htmlEscape(value) + "</td></tr>\n";
}

void renderValue(std::string& out, const ZoneView& view, const ListedValue& value)
{
  const auto& meta = value.listing;
  out += "<table>\n";
  row(out, "Code", value.code + " (" + meaningOf(view, value.code) + ")");
  if (!value.txt.empty())
    row(out, "Message", value.txt);
  row(out, "Reason", meta.reason.empty() ? "not given" : meta.reason);
  row(out, "Evidence", meta.evidence.empty() ? "not given" : meta.evidence);
  row(out, "First listed", timeText(meta.firstAdded ? meta.firstAdded : meta.added, "unknown"));
  row(out, "Listed since", timeText(meta.added, "unknown"));
  row(out, "Expires", timeText(meta.expires, "no expiry set"));
  row(out, "Times listed", meta.timesListed ? std::to_string(meta.timesListed) : "unknown");
  out += "</table>\n";
}

void renderZone(std::string& out, const LookupKey& key, const ZoneView& view)
{
  const auto& verdict = view.verdict;
  out += "<h2>" + htmlEscape(verdict.zone) + "</h2>\n";
  if (verdict.values.empty()) {
    out += "<p class=\"clean\">Not listed.</p>\n";
    return;
  }
  out += "<p class=\"listed\">Listed.</p>\n";
  for (const auto& value : verdict.values)
    renderValue(out, view, value);
  if (!view.removable) {
    out += "<p>Self-removal: not available for this list; please contact the list operator.</p>\n";
    return;
  }
  out += "<form method=\"post\" action=\"/remove\"><input type=\"hidden\" name=\"key\" value=\""
      + htmlEscape(key.text) + "\"><input type=\"hidden\" name=\"zone\" value=\"" + htmlEscape(verdict.zone)
      + "\"><input type=\"hidden\" name=\"token\" value=\"" + htmlEscape(view.token)
      + "\"><p>Self-removal: possible (at most " + std::to_string(view.notes.policy.max)
      + " per period). Fix the cause first.</p><button>Remove " + htmlEscape(key.text) + " from "
      + htmlEscape(verdict.zone) + "</button></form>\n";
}

} // namespace

std::string renderLookupHtml(const LookupKey& key, const std::vector<ZoneView>& views, std::int64_t now)
{
  std::string out = head("Lookup " + key.text);
  out += "<h1>" + htmlEscape(key.text) + "</h1>\n<p>Checked at " + listing::formatUtcTime(now) + ".</p>\n";
  if (views.empty())
    out += "<p>No list here covers this kind of key.</p>\n";
  for (const auto& view : views)
    renderZone(out, key, view);
  return out + kLookupForm + "</body></html>\n";
}

std::string renderLookupJson(const LookupKey& key, const std::vector<ZoneView>& views, std::int64_t now)
{
  std::string out = "{\"key\":" + admin::jsonString(key.text)
      + ",\"checked\":" + admin::jsonString(listing::formatUtcTime(now)) + ",\"zones\":[";
  for (std::size_t i = 0; i < views.size(); ++i) {
    const auto& view = views[i];
    out += (i ? "," : "") + std::string("{\"zone\":") + admin::jsonString(view.verdict.zone)
        + ",\"listed\":" + (view.verdict.values.empty() ? "false" : "true")
        + ",\"self_removal\":" + (view.removable ? "true" : "false") + ",\"answers\":[";
    for (std::size_t j = 0; j < view.verdict.values.size(); ++j) {
      const auto& value = view.verdict.values[j];
      const auto& meta = value.listing;
      auto time
          = [](std::int64_t when) { return when ? admin::jsonString(listing::formatUtcTime(when)) : "null"; };
      out += (j ? "," : "") + std::string("{\"code\":") + admin::jsonString(value.code)
          + ",\"meaning\":" + admin::jsonString(meaningOf(view, value.code))
          + ",\"txt\":" + admin::jsonString(value.txt) + ",\"reason\":" + admin::jsonString(meta.reason)
          + ",\"evidence\":" + admin::jsonString(meta.evidence)
          + ",\"first_listed\":" + time(meta.firstAdded ? meta.firstAdded : meta.added)
          + ",\"listed_since\":" + time(meta.added) + ",\"expires\":" + time(meta.expires)
          + ",\"times_listed\":" + std::to_string(meta.timesListed) + "}";
    }
    out += "]}";
  }
  return out + "]}\n";
}

std::string renderIndexHtml()
{
  return head("shun blocklist lookup")
      + "<h1>Blocklist lookup</h1>\n<p>Enter an IP address or a domain to see whether it is listed, why, "
        "and until when.</p>\n"
      + kLookupForm + "</body></html>\n";
}

std::string renderMessageHtml(const std::string& title, const std::string& message, const std::string& key)
{
  std::string out = head(title) + "<h1>" + htmlEscape(title) + "</h1>\n<p>" + htmlEscape(message) + "</p>\n";
  if (!key.empty())
    out += "<p><a href=\"/lookup/" + htmlEscape(key) + "\">Back to " + htmlEscape(key) + "</a></p>\n";
  return out + kLookupForm + "</body></html>\n";
}

} // namespace shun::web
