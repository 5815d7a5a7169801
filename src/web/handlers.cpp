#include "web/handlers.hpp"

#include "shun/admin/editor.hpp"
#include "shun/admin/zone_head.hpp"
#include "shun/store/dataset_type.hpp"

#include <algorithm>
#include <cctype>

namespace shun::web {
namespace {

constexpr std::size_t kMaxTarget = 2048;

Response page(int status, const std::string& title, const std::string& message, const std::string& key = {})
{
  return { status, "text/html; charset=utf-8", renderMessageHtml(title, message, key) };
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

Response Handlers::handle(const Request& request, std::int64_t now, std::int64_t nowMs)
{
  if (request.target.size() > kMaxTarget)
    return record(page(413, "Request too large", "The address is too long."));
  std::string path = request.target.substr(0, request.target.find('?'));
  bool post = request.method == "POST";
  if (!post && request.method != "GET" && request.method != "HEAD")
    return record(page(405, "Method not allowed", "Only GET and POST are used here."));
  bool allowed = post ? d_postLimiter.allow(clientNetwork(request.client, 32, 64), nowMs)
          && d_postNetLimiter.allow(clientNetwork(request.client, 24, 56), nowMs)
                      : d_getLimiter.allow(request.client, nowMs);
  if (!allowed) {
    if (post)
      ++d_counters.removals["rate-limited"];
    return record(page(429, "Too many requests", "Too many requests from your address; try again later."));
  }
  if (post)
    return record(path == "/remove" ? remove(request, now) : page(404, "Not found", "No such form."));
  if (path == "/" || path == "/lookup") {
    auto query = request.target.size() > path.size() ? request.target.substr(path.size() + 1) : "";
    auto form = parseForm(query);
    if (path == "/lookup" && form && form->count("key"))
      return record(lookup((*form)["key"], false, now));
    return record({ 200, "text/html; charset=utf-8", renderIndexHtml() });
  }
  if (path.starts_with("/lookup/"))
    return record(lookup(path.substr(8), false, now));
  if (path.starts_with("/api/v1/lookup/"))
    return record(lookup(path.substr(15), true, now));
  if (path == "/metrics")
    return metrics(now);
  return record(page(404, "Not found", "There is nothing at this address."));
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
    view.removable = !verdict.values.empty() && view.notes.policy.allowed && spec;
    if (view.removable)
      view.token = d_tokens.issue(verdict.zone, key.text, now);
    view.verdict = std::move(verdict);
    out.push_back(std::move(view));
  }
  return out;
}

Response Handlers::lookup(const std::string& keyText, bool json, std::int64_t now)
{
  auto decoded = urlDecode(keyText);
  auto key = decoded ? parseLookupKey(*decoded) : std::nullopt;
  if (!key) {
    if (json)
      return { 400, "application/json", "{\"error\":\"not an IP address or domain name\"}\n" };
    return page(400, "Bad request", "That is not an IP address or a domain name.");
  }
  auto list = views(*key, now);
  if (json)
    return { 200, "application/json", renderLookupJson(*key, list, now) };
  return { 200, "text/html; charset=utf-8", renderLookupHtml(*key, list, now) };
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

Response Handlers::remove(const Request& request, std::int64_t now)
{
  if (int status = crossSite(request)) {
    ++d_counters.removals["refused-cross-site"];
    return page(status, "Not accepted", "Removal requests are accepted only from the form on this site.");
  }
  auto form = parseForm(request.body);
  auto key = form && form->count("key") ? parseLookupKey((*form)["key"]) : std::nullopt;
  const zone::ZoneSpec* spec = key && form->count("zone") ? managedSpec((*form)["zone"], *key) : nullptr;
  if (!key || !spec)
    return page(400, "Bad request", "The form needs an IP address or domain and a list name.");
  return removeKey(*key, *spec, request.client, (*form)["token"], now);
}

Response Handlers::removeKey(const LookupKey& key, const zone::ZoneSpec& spec, const std::string& client,
    const std::string& token, std::int64_t now)
{
  bool listed = false;
  for (const auto& view : views(key, now))
    listed |= view.verdict.zone == spec.zone && !view.verdict.values.empty();
  // Only a listed key can be removed, and only from the form this server rendered for it (CSRF).
  if (listed && !d_tokens.valid(token, spec.zone, key.text, now)) {
    ++d_counters.removals["refused-token"];
    return page(403, "Form expired",
        "This form has expired or was not made by this site. Look the address up again and use the new form.",
        key.text);
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
  if (result.logged == "queued")
    return page(202, "Queued for review", message, key.text);
  return page(kStatus[admin::exitCode(result.outcome)],
      result.outcome == admin::Outcome::Done ? "Removed" : "Not removed", message, key.text);
}

} // namespace shun::web
