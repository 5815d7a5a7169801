#include "shun/listing/listing.hpp"
#include "web/page.hpp"

#include <algorithm>
#include <set>

namespace shun::web {
namespace {

/// What a zone says about a key, in the words of the headline.
enum class State { NotListed, Listed, Range, Wildcard, TestPoint, Below };

State stateOf(const LookupKey& key, const ZoneView& view)
{
  const auto& values = view.verdict.values;
  if (values.empty())
    return view.verdict.namesBelow ? State::Below : State::NotListed;
  if (isTestPoint(key))
    return State::TestPoint;
  if (key.family == LookupKey::Family::Name && values.front().entryName != key.text)
    return State::Wildcard;
  if (view.removalKnown && !view.removal.ownEntry)
    return State::Range;
  return State::Listed;
}

std::string s(std::string_view text)
{
  return std::string(text);
}

void headline(std::string& out, const LookupKey& key, const ZoneView& view, State state, Lang lang)
{
  static constexpr Msg kBadge[] = { Msg::BadgeNotListed, Msg::BadgeListed, Msg::BadgeRange,
    Msg::BadgeWildcard, Msg::BadgeTestPoint, Msg::BadgeBelow };
  static constexpr Msg kHead[] = { Msg::HeadNotListed, Msg::HeadListed, Msg::HeadRange, Msg::HeadWildcard,
    Msg::HeadTestPoint, Msg::HeadBelow };
  static constexpr const char* kClass[] = { "clean", "listed", "listed", "listed", "test", "listed" };
  auto index = static_cast<std::size_t>(state);
  std::string keyText = htmlEscape(key.text), zone = htmlEscape(view.verdict.zone);
  std::string listedName = view.verdict.values.empty() ? key.text : view.verdict.values.front().entryName;
  std::string wildcard = htmlEscape("*." + listedName);
  out += "<h2>" + zone + "</h2>\n<p><strong class=\"st " + kClass[index] + "\">"
      + s(text(lang, kBadge[index])) + "</strong> "
      + format(lang, kHead[index], { keyText, zone, wildcard, htmlEscape(listedName) }) + "</p>\n";
  Msg effect = state == State::TestPoint ? Msg::EffectTestPoint
      : state == State::NotListed        ? Msg::EffectNotListed
                                         : Msg::EffectListed;
  out += "<p>" + format(lang, effect, { keyText }) + "</p>\n";
}

void row(std::string& out, Lang lang, Msg name, const std::string& html)
{
  out += "<dt>" + s(text(lang, name)) + "</dt><dd>" + html + "</dd>\n";
}

void details(std::string& out, const ZoneView& view, const ListedValue& value, const PageContext& page)
{
  Lang lang = page.lang;
  const auto& meta = value.listing;
  auto code = view.notes.codes.find(value.code);
  std::string meaning = localized(code == view.notes.codes.end() ? nullptr : &code->second, "meaning", lang);
  auto given = [&](const std::string& text) {
    return text.empty() ? s(web::text(lang, Msg::NotGiven)) : htmlEscape(text);
  };
  auto when
      = [&](std::int64_t time, Msg unset) { return time ? timeHtml(page, time) : s(text(lang, unset)); };
  out += "<dl>\n";
  row(out, lang, Msg::Code,
      htmlEscape(value.code + " (" + (meaning.empty() ? codeMeaning(value.code) : meaning) + ")"));
  row(out, lang, Msg::Reason, given(meta.reason));
  row(out, lang, Msg::Evidence, given(meta.evidence));
  row(out, lang, Msg::ListedSince, when(meta.added, Msg::Unknown));
  row(out, lang, Msg::Expires, when(meta.expires, Msg::NoExpiry));
  if (meta.firstAdded && meta.firstAdded != meta.added)
    row(out, lang, Msg::FirstListed, when(meta.firstAdded, Msg::Unknown));
  if (meta.timesListed)
    row(out, lang, Msg::TimesListed, std::to_string(meta.timesListed));
  if (!value.txt.empty())
    row(out, lang, Msg::Message, htmlEscape(value.txt));
  out += "</dl>\n";
}

// Per-code guidance from the zone (cut here, whole in the JSON), else the catalog's general advice.
void guidance(std::string& out, const ZoneView& view, Lang lang)
{
  std::set<std::string> seen;
  for (const auto& value : view.verdict.values) {
    auto code = view.notes.codes.find(value.code);
    std::string help = localized(code == view.notes.codes.end() ? nullptr : &code->second, "help", lang);
    if (help.empty())
      help = s(text(lang, Msg::DefaultHelp));
    if (seen.insert(help).second)
      out += "<p>" + htmlEscape(cutText(help, kMaxHelpBytes)) + "</p>\n";
  }
}

void removalForm(std::string& out, const LookupKey& key, const ZoneView& view, Lang lang)
{
  const auto& policy = view.removal.policy;
  std::string period = durationText(lang, policy.period);
  out += "<p>"
      + format(
          lang, Msg::RemovalOpen, { std::to_string(view.removal.left), std::to_string(policy.max), period })
      + "</p>\n<p><strong>" + s(text(lang, Msg::RemovalFixFirst)) + "</strong></p>\n";
  out += "<form method=\"post\" action=\"/remove\"><p><input type=\"hidden\" name=\"key\" value=\""
      + htmlEscape(key.text) + "\"><input type=\"hidden\" name=\"zone\" value=\""
      + htmlEscape(view.verdict.zone) + "\"><input type=\"hidden\" name=\"token\" value=\""
      + htmlEscape(view.token) + "\"><input type=\"hidden\" name=\"lang\" value=\"" + s(langCode(lang))
      + "\"><button>"
      + format(lang, Msg::RemovalButton, { htmlEscape(key.text), htmlEscape(view.verdict.zone) })
      + "</button></p></form>\n";
}

// Self-removal: the form when it would be granted, else the reason it would not (nothing refused is offered).
void removal(std::string& out, const LookupKey& key, const ZoneView& view, const PageContext& page)
{
  Lang lang = page.lang;
  const auto& state = view.removal;
  if (view.removable)
    return removalForm(out, key, view, lang);
  std::string why;
  if (!view.removalKnown || !state.policy.allowed || state.refusal == "refused-policy")
    why = s(text(lang, Msg::RemovalNone));
  else if (state.refusal == "refused-limit")
    why = format(lang, Msg::RemovalLimit,
        { std::to_string(state.policy.max), durationText(lang, state.policy.period) });
  else if (state.refusal == "refused-cooldown")
    why = s(text(lang, Msg::RemovalCooldown));
  else if (state.refusal == "refused-range")
    why = s(text(lang, Msg::RemovalRange));
  else if (state.refusal == "refused-protected")
    why = format(lang, Msg::RemovalProtected, { htmlEscape(state.reason) });
  else
    why = format(lang, Msg::RemovalError, { htmlEscape(state.reason) });
  if (state.next && (state.refusal == "refused-limit" || state.refusal == "refused-cooldown"))
    why += " " + format(lang, Msg::RemovalNext, { timeHtml(page, state.next) });
  out += "<p>" + why + "</p>\n";
}

void renderZone(std::string& out, const LookupKey& key, const ZoneView& view, const PageContext& page)
{
  Lang lang = page.lang;
  State state = stateOf(key, view);
  out += "<section>\n";
  headline(out, key, view, state, lang);
  for (const auto& value : view.verdict.values)
    details(out, view, value, page);
  if (!view.verdict.values.empty()) {
    out += "<h3>" + s(text(lang, Msg::WhatToDo)) + "</h3>\n";
    if (state == State::TestPoint) {
      out += "<p>" + s(text(lang, Msg::TestPointHelp)) + "</p>\n";
    } else {
      guidance(out, view, lang);
      removal(out, key, view, page);
    }
    std::uint32_t ttl = 0;
    for (const auto& value : view.verdict.values)
      ttl = std::max(ttl, value.ttl);
    out += "<p>" + format(lang, Msg::Cache, { durationText(lang, ttl) }) + "</p>\n";
  }
  out += "</section>\n";
}

} // namespace

std::string renderLookupHtml(
    const LookupKey& key, const std::vector<ZoneView>& views, const PageContext& page)
{
  std::string out = pageHead(page, key.text + " - " + s(text(page.lang, Msg::SiteTitle)));
  out += "<h1>" + htmlEscape(key.text) + "</h1>\n<p>"
      + format(page.lang, Msg::CheckedAt, { timeHtml(page, page.now) }) + "</p>\n";
  if (views.empty())
    out += "<p>" + s(text(page.lang, Msg::NoZone)) + "</p>\n";
  for (const auto& view : views)
    renderZone(out, key, view, page);
  return out + pageFoot(page);
}

} // namespace shun::web
