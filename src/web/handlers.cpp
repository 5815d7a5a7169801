#include "web/handlers.hpp"

#include "shun/admin/editor.hpp"
#include "shun/admin/self_removal_state.hpp"
#include "shun/admin/zone_head.hpp"
#include "shun/store/dataset_type.hpp"

#include <algorithm>
#include <cctype>

namespace shun::web {
namespace {

constexpr std::size_t kMaxTarget = 2048;

Response page(const PageContext& context, int status, Msg title, const std::string& message,
    const std::string& key = {})
{
  return { status, "text/html; charset=utf-8",
    renderMessageHtml(context, std::string(text(context.lang, title)), message, key) };
}

Response page(const PageContext& context, int status, Msg title, Msg message)
{
  return page(context, status, title, std::string(text(context.lang, message)));
}

std::string queryField(const std::string& target, const char* name)
{
  auto question = target.find('?');
  auto form = question == std::string::npos ? std::nullopt : parseForm(target.substr(question + 1));
  return form && form->count(name) ? (*form)[name] : std::string();
}

// A removal's outcome in lang, by what the requests log records; the editor's own sentence otherwise.
std::string visitorMessage(Lang lang, const std::string& logged, const std::string& key,
    const std::string& zone, const std::string& fallback)
{
  static const std::map<std::string, Msg> kByOutcome = { { "granted", Msg::OutcomeGranted },
    { "queued", Msg::OutcomeQueued }, { "not-listed", Msg::OutcomeNotListed },
    { "refused-policy", Msg::RemovalNone }, { "refused-limit", Msg::RemovalLimit },
    { "refused-cooldown", Msg::RemovalCooldown }, { "refused-range", Msg::RemovalRange } };
  auto found = kByOutcome.find(logged);
  if (found == kByOutcome.end() || found->second == Msg::RemovalLimit)
    return fallback;
  return format(lang, found->second, { key, zone });
}

} // namespace

Handlers::Handlers(WebSources sources)
    : d_sources(std::move(sources))
    , d_getLimiter(60, 50, 65536) // 20 pages a second after a burst of 60
    , d_postLimiter(5, 60000, 65536) // 5 removal requests, then one a minute
    , d_postNetLimiter(10, 360000, 65536) // 10 from a network, then ten an hour
{
}

Response Handlers::record(Response response)
{
  ++d_counters.responses[response.status];
  return response;
}

PageContext Handlers::contextOf(const Request& request, const std::string& path, std::int64_t now) const
{
  PageContext context;
  auto header = request.headers.find("accept-language");
  std::string requested = queryField(request.target, "lang");
  if (requested.empty() && request.method == "POST") {
    auto form = parseForm(request.body);
    requested = form && form->count("lang") ? (*form)["lang"] : "";
  }
  context.lang = chooseLanguage(requested, header == request.headers.end() ? "" : header->second);
  context.now = now;
  context.path = path.starts_with("/lookup/") ? path : "/";
  if (path == "/metrics" || path.starts_with("/api/"))
    return context; // no contacts needed: do not read the zones' heads
  for (const auto& spec : d_sources.zones) {
    std::string contact = notesOf(&spec).contact;
    bool known = std::any_of(context.contacts.begin(), context.contacts.end(),
        [&](const auto& seen) { return seen.first == spec.zone; });
    if (!contact.empty() && !known && !spec.files.empty())
      context.contacts.emplace_back(spec.zone, contact);
  }
  return context;
}

Response Handlers::handle(const Request& request, std::int64_t now, std::int64_t nowMs)
{
  std::string path = request.target.substr(0, request.target.find('?'));
  PageContext context = contextOf(request, request.target.size() > kMaxTarget ? "/" : path, now);
  if (request.target.size() > kMaxTarget)
    return record(page(context, 413, Msg::TitleTooLarge, Msg::TextTooLarge));
  bool post = request.method == "POST";
  if (!post && request.method != "GET" && request.method != "HEAD")
    return record(page(context, 405, Msg::TitleMethod, Msg::TextMethod));
  bool allowed = post ? d_postLimiter.allow(clientNetwork(request.client, 32, 64), nowMs)
          && d_postNetLimiter.allow(clientNetwork(request.client, 24, 56), nowMs)
                      : d_getLimiter.allow(request.client, nowMs);
  if (!allowed) {
    if (post)
      ++d_counters.removals["rate-limited"];
    return record(page(context, 429, Msg::TitleTooMany, Msg::TextTooMany));
  }
  if (post)
    return record(path == "/remove" ? remove(request, context)
                                    : page(context, 404, Msg::TitleNotFound, Msg::TextNotFound));
  if (path == "/" || path == "/lookup") {
    std::string key = queryField(request.target, "key");
    if (path == "/lookup" && !key.empty()) {
      context.path = "/lookup/" + key;
      return record(lookup(key, false, context));
    }
    return record({ 200, "text/html; charset=utf-8", renderIndexHtml(context) });
  }
  if (path.starts_with("/lookup/"))
    return record(lookup(path.substr(8), false, context));
  if (path.starts_with("/api/v1/lookup/"))
    return record(lookup(path.substr(15), true, context));
  if (path == "/metrics")
    return metrics(now);
  return record(page(context, 404, Msg::TitleNotFound, Msg::TextNotFound));
}

Response Handlers::metrics(std::int64_t now)
{
  auto snapshot = d_sources.snapshot ? d_sources.snapshot() : nullptr;
  ServerSample sample;
  if (d_sources.sample)
    sample = d_sources.sample();
  ++d_counters.responses[200]; // counted before formatting so the page includes itself
  return { 200, "text/plain; version=0.0.4; charset=utf-8",
    formatMetrics(d_sources.sample ? &sample : nullptr,
        d_sources.reloadCounters ? d_sources.reloadCounters() : nullptr, snapshot.get(), d_counters, now)
        + processMetrics(metrics::sampleProcess())
        + (d_sources.extraMetrics ? d_sources.extraMetrics() : std::string()) };
}

std::vector<ZoneView> Handlers::views(const LookupKey& key, std::int64_t now)
{
  std::vector<ZoneView> out;
  auto snapshot = d_sources.snapshot ? d_sources.snapshot() : nullptr;
  if (!snapshot)
    return out;
  for (auto& verdict : lookupKey(*snapshot, key, now)) {
    ZoneView view;
    const zone::ZoneSpec* spec = managedSpec(verdict.zone, key);
    view.notes = notesOf(spec);
    if (spec && !verdict.values.empty()) { // only a removal that would be granted gets a form
      admin::ZoneTarget target { spec->zone, spec->files.front(), *store::datasetTypeFromName(spec->type) };
      view.removal = admin::selfRemovalState(target, key.text, now);
      view.removalKnown = true;
    }
    view.removable = view.removalKnown && view.removal.policy.allowed && view.removal.refusal.empty();
    if (view.removable)
      view.token = d_tokens.issue(verdict.zone, key.text, now);
    view.verdict = std::move(verdict);
    out.push_back(std::move(view));
  }
  return out;
}

Response Handlers::lookup(const std::string& keyText, bool json, PageContext& context)
{
  std::int64_t now = context.now;
  auto decoded = urlDecode(keyText);
  auto key = decoded ? parseLookupKey(*decoded) : std::nullopt;
  if (!key) {
    if (json)
      return { 400, "application/json", "{\"error\":\"not an IP address or domain name\"}\n" };
    return page(context, 400, Msg::TitleBadRequest, Msg::TextBadKey);
  }
  auto list = views(*key, now);
  if (json)
    return { 200, "application/json", renderLookupJson(*key, list, now) };
  context.path = "/lookup/" + key->text;
  return { 200, "text/html; charset=utf-8", renderLookupHtml(*key, list, context) };
}

const zone::ZoneSpec* Handlers::managedSpec(const std::string& zone, const LookupKey& key) const
{
  for (const auto& spec : d_sources.zones) {
    const std::string& type = spec.type;
    bool fits = key.family == LookupKey::Family::Ip4
        ? type == "ip4set" || type == "ip4tset" || type == "ip4trie"
        : key.family == LookupKey::Family::Ip6 ? type == "ip6trie" || type == "ip6tset"
                                               : type == "dnset";
    if (spec.zone == zone && fits && !spec.files.empty())
      return &spec;
  }
  return nullptr;
}

ZoneNotes Handlers::notesOf(const zone::ZoneSpec* spec)
{
  if (!spec)
    return {};
  std::string error;
  try {
    std::string text = admin::readZoneHead(spec->files.front());
    return parseZoneNotes(text, error);
  } catch (const std::exception&) {
    return {};
  }
}

int Handlers::crossSite(const Request& request)
{
  auto header = [&](const char* name) {
    auto found = request.headers.find(name);
    return found == request.headers.end() ? std::string() : found->second;
  };
  std::string type = header("content-type");
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ')
    type.pop_back();
  std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });
  if (type != "application/x-www-form-urlencoded")
    return 415;
  // Browsers send Origin (or at least Referer) with a form POST; either must be this page's own host.
  // Behind a reverse proxy the page's public host may arrive as X-Forwarded-Host; a cross-site form cannot
  // set that header, so accepting it opens nothing.
  std::string origin = header("origin"), referer = header("referer");
  auto ours = [&](const std::string& url) {
    for (const char* name : { "host", "x-forwarded-host" }) {
      std::string host = header(name);
      for (const char* scheme : { "http://", "https://" }) {
        std::string base = scheme + host;
        if (!host.empty() && (url == base || url.starts_with(base + "/") || url.starts_with(base + "?")))
          return true;
      }
    }
    return false;
  };
  if (!origin.empty())
    return ours(origin) ? 0 : 403;
  return referer.empty() || ours(referer) ? 0 : 403;
}

Response Handlers::remove(const Request& request, PageContext& context)
{
  if (int status = crossSite(request)) {
    ++d_counters.removals["refused-cross-site"];
    return page(context, status, Msg::TitleNotAccepted, Msg::TextNotAccepted);
  }
  auto form = parseForm(request.body);
  auto key = form && form->count("key") ? parseLookupKey((*form)["key"]) : std::nullopt;
  const zone::ZoneSpec* spec = key && form->count("zone") ? managedSpec((*form)["zone"], *key) : nullptr;
  if (!key || !spec)
    return page(context, 400, Msg::TitleBadRequest, Msg::TextBadForm);
  return removeKey(*key, *spec, request.client, (*form)["token"], context);
}

Response Handlers::removeKey(const LookupKey& key, const zone::ZoneSpec& spec, const std::string& client,
    const std::string& token, const PageContext& context)
{
  std::int64_t now = context.now;
  bool listed = false, refused = false;
  for (const auto& view : views(key, now)) {
    if (view.verdict.zone != spec.zone || view.verdict.values.empty())
      continue;
    listed = true;
    refused = view.removalKnown && !view.removal.refusal.empty();
  }
  // Only a listed key can be removed, and only from the form this server rendered for it (CSRF). Where
  // the removal would be refused the page renders no form: such a request is answered with its reason
  // (and logged), as it changes nothing.
  if (listed && !refused && !d_tokens.valid(token, spec.zone, key.text, now)) {
    ++d_counters.removals["refused-token"];
    return page(context, 403, Msg::TitleExpired, std::string(text(context.lang, Msg::TextExpired)), key.text);
  }
  admin::ZoneTarget target { spec.zone, spec.files.front(), *store::datasetTypeFromName(spec.type) };
  admin::EditResult result = admin::ZoneEditor(target).selfRemove(key.text, client, listed, now);
  ++d_counters.removals[result.logged];
  if (result.outcome == admin::Outcome::Done && d_sources.reload)
    d_sources.reload();
  static constexpr int kStatus[] = { 200, 500, 400, 403, 404 }; // by admin::Outcome
  std::string message = result.keys.empty() ? result.reason : result.keys.front().reason;
  // The operator sees who removed what (and why a write failed) in shund's log, not only in .requests.
  // result.reason: the failed write's path and system error, for the log only (never the visitor).
  bool failed = result.outcome == admin::Outcome::Failed || !result.reason.empty();
  auto& log = failed ? d_sources.warn : d_sources.info;
  if (log && (failed || result.logged == "granted" || result.logged == "queued"))
    log("self-removal of " + key.text + " from " + spec.zone + " requested by " + client + ": "
        + result.logged + (failed ? " (" + (result.reason.empty() ? message : result.reason) + ")" : ""));
  if (context.lang != Lang::En) // the editor's sentences are English; the catalog has the common ones
    message = visitorMessage(context.lang, result.logged, key.text, spec.zone, message);
  if (result.logged == "queued")
    return page(context, 202, Msg::TitleQueued, message, key.text);
  return page(context, kStatus[admin::exitCode(result.outcome)],
      result.outcome == admin::Outcome::Done ? Msg::TitleRemoved : Msg::TitleNotRemoved, message, key.text);
}

} // namespace shun::web
