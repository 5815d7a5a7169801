#include "web/page.hpp"

#include "shun/admin/json.hpp"
#include "shun/listing/listing.hpp"

namespace shun::web {
namespace {

// One small inline stylesheet; colours meet WCAG AA on white (the badges carry words, not only colour).
constexpr const char* kStyle
    = "body{font:16px/1.6 system-ui,sans-serif;color:#1a1a1a;background:#fff;max-width:46em;margin:0 auto;"
      "padding:0 1em}header{display:flex;justify-content:space-between;align-items:baseline;flex-wrap:wrap;"
      "border-bottom:1px solid #767676}header p{margin:.6em 0;font-weight:bold}nav a,nav "
      "strong{margin-left:.8em}"
      "h1{font-size:1.6em;overflow-wrap:anywhere}h2{font-size:1.25em;margin:.4em 0}"
      "h3{font-size:1.05em;margin:1em 0 .2em}section{border:1px solid #8c8c8c;border-radius:.4em;"
      "padding:.2em 1em .6em;margin:1em 0}.st{display:inline-block;padding:0 .5em;border-radius:.3em;"
      "color:#fff;font-weight:bold;margin-right:.4em}.listed{background:#b00020}.clean{background:#1b6e2a}"
      ".test{background:#4a4a4a}dl{display:grid;grid-template-columns:max-content 1fr;gap:.1em 1em}"
      "dt{font-weight:bold}dd{margin:0;overflow-wrap:anywhere}.utc{color:#555}"
      "@media(max-width:36em){dl{display:block}dd{margin:0 0 .4em}}"
      "input,button{font:inherit;padding:.3em .6em;max-width:100%}button{background:#0b4fb3;color:#fff;"
      "border:0;border-radius:.3em;cursor:pointer}footer{border-top:1px solid #767676;margin-top:1.5em}"
      "a{color:#0b4fb3}";

std::string languageSwitch(const PageContext& page)
{
  static constexpr Lang kAll[] = { Lang::En, Lang::Ja };
  static constexpr const char* kNames[] = { "English", "日本語" };
  std::string out = "<nav aria-label=\"" + std::string(text(page.lang, Msg::LanguageNav)) + "\">";
  for (std::size_t i = 0; i < 2; ++i) {
    std::string code(langCode(kAll[i]));
    if (page.lang == kAll[i]) // the language in use is named, not linked
      out += "<strong lang=\"" + code + "\">" + kNames[i] + "</strong>";
    else
      out += "<a href=\"" + htmlEscape(page.path) + "?lang=" + code + "\" hreflang=\"" + code + "\" lang=\""
          + code + "\">" + kNames[i] + "</a>";
  }
  return out + "</nav>";
}

std::string contactLink(const std::string& contact)
{
  bool url = contact.starts_with("http://") || contact.starts_with("https://");
  return "<a href=\"" + htmlEscape(url ? contact : "mailto:" + contact) + "\">" + htmlEscape(contact)
      + "</a>";
}

} // namespace

std::string pageHead(const PageContext& page, const std::string& title)
{
  std::string lang(langCode(page.lang));
  return "<!DOCTYPE html>\n<html lang=\"" + lang
      + "\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, "
        "initial-scale=1\"><title>"
      + htmlEscape(title) + "</title><style>" + kStyle + "</style></head><body>\n<header><p>"
      + std::string(text(page.lang, Msg::SiteTitle)) + "</p>" + languageSwitch(page) + "</header>\n<main>\n";
}

std::string pageFoot(const PageContext& page)
{
  Lang lang = page.lang;
  std::string out = "</main>\n<footer><form method=\"get\" action=\"/lookup\"><p><label>"
      + std::string(text(lang, Msg::KeyLabel))
      + " <input name=\"key\" maxlength=\"253\" required></label> <input type=\"hidden\" name=\"lang\" "
        "value=\""
      + std::string(langCode(lang)) + "\"><button>" + std::string(text(lang, Msg::LookUp))
      + "</button></p></form>\n<p>";
  if (page.contacts.empty()) {
    out += htmlEscape(text(lang, Msg::ContactNone));
  } else if (page.contacts.size() == 1) {
    out += format(lang, Msg::Contact, { contactLink(page.contacts.front().second) });
  } else {
    std::string list;
    for (const auto& [zone, contact] : page.contacts)
      list += (list.empty() ? "" : "; ")
          + format(lang, Msg::ContactZone, { htmlEscape(zone), contactLink(contact) });
    out += format(lang, Msg::Contact, { list });
  }
  return out + "</p></footer>\n</body></html>\n";
}

std::string localized(const listing::CodeMeaning* code, const std::string& name, Lang lang)
{
  if (!code)
    return {};
  std::string own = name + "." + std::string(langCode(lang));
  std::string other = name + "." + std::string(langCode(lang == Lang::Ja ? Lang::En : Lang::Ja));
  for (const std::string& candidate : { own, name, other }) {
    if (candidate == "meaning" && !code->meaning.empty())
      return code->meaning;
    auto found = code->texts.find(candidate);
    if (found != code->texts.end() && !found->second.empty())
      return found->second;
  }
  return {};
}

std::string timeHtml(const PageContext& page, std::int64_t when)
{
  std::string iso = listing::formatUtcTime(when); // 2026-11-20T10:00:00Z
  std::string shown = iso.substr(0, 10) + " " + iso.substr(11, 5) + " UTC";
  return "<time datetime=\"" + iso + "\">" + htmlEscape(relativeTime(page.lang, when, page.now))
      + "</time> <span class=\"utc\">(" + shown + ")</span>";
}

std::string renderIndexHtml(const PageContext& page)
{
  return pageHead(page, std::string(text(page.lang, Msg::SiteTitle))) + "<h1>"
      + std::string(text(page.lang, Msg::SiteTitle)) + "</h1>\n<p>" + std::string(text(page.lang, Msg::Intro))
      + "</p>\n" + pageFoot(page);
}

std::string renderMessageHtml(
    const PageContext& page, const std::string& title, const std::string& message, const std::string& key)
{
  std::string out
      = pageHead(page, title) + "<h1>" + htmlEscape(title) + "</h1>\n<p>" + htmlEscape(message) + "</p>\n";
  if (!key.empty())
    out += "<p><a href=\"/lookup/" + htmlEscape(key) + "?lang=" + std::string(langCode(page.lang)) + "\">"
        + htmlEscape(format(page.lang, Msg::Back, { key })) + "</a></p>\n";
  return out + pageFoot(page);
}

std::string renderLookupJson(const LookupKey& key, const std::vector<ZoneView>& views, std::int64_t now)
{
  auto time
      = [](std::int64_t when) { return when ? admin::jsonString(listing::formatUtcTime(when)) : "null"; };
  std::string out = "{\"key\":" + admin::jsonString(key.text)
      + ",\"checked\":" + admin::jsonString(listing::formatUtcTime(now)) + ",\"zones\":[";
  for (std::size_t i = 0; i < views.size(); ++i) {
    const auto& view = views[i];
    out += (i ? "," : "") + std::string("{\"zone\":") + admin::jsonString(view.verdict.zone)
        + ",\"listed\":" + (view.verdict.values.empty() ? "false" : "true")
        + ",\"self_removal\":" + (view.removable ? "true" : "false")
        + ",\"names_below_listed\":" + (view.verdict.namesBelow ? "true" : "false") + ",\"contact\":"
        + (view.notes.contact.empty() ? "null" : admin::jsonString(view.notes.contact)) + ",\"answers\":[";
    for (std::size_t j = 0; j < view.verdict.values.size(); ++j) {
      const auto& value = view.verdict.values[j];
      const auto& meta = value.listing;
      auto code = view.notes.codes.find(value.code);
      auto note = code == view.notes.codes.end() ? nullptr : &code->second;
      auto meaning = view.notes.meanings.find(value.code);
      out += (j ? "," : "") + std::string("{\"code\":") + admin::jsonString(value.code) + ",\"meaning\":"
          + admin::jsonString(
              meaning != view.notes.meanings.end() ? meaning->second : codeMeaning(value.code))
          + ",\"txt\":" + admin::jsonString(value.txt) + ",\"reason\":" + admin::jsonString(meta.reason)
          + ",\"evidence\":" + admin::jsonString(meta.evidence) + ",\"first_listed\":"
          + time(meta.firstAdded ? meta.firstAdded : meta.added) + ",\"listed_since\":" + time(meta.added)
          + ",\"expires\":" + time(meta.expires) + ",\"times_listed\":" + std::to_string(meta.timesListed)
          + ",\"help\":" + admin::jsonString(localized(note, "help", Lang::En))
          + ",\"ttl\":" + std::to_string(value.ttl) + "}";
    }
    out += "]}";
  }
  return out + "]}\n";
}

} // namespace shun::web
