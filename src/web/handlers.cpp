#include "web/handlers.hpp"

#include "shun/admin/editor.hpp"
#include "shun/admin/zone_head.hpp"
#include "shun/store/dataset_type.hpp"

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
  if (!(post ? d_postLimiter : d_getLimiter).allow(request.client, nowMs)) {
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

Response Handlers::remove(const Request& request, std::int64_t now)
{
  auto form = parseForm(request.body);
  auto key = form && form->count("key") ? parseLookupKey((*form)["key"]) : std::nullopt;
  const zone::ZoneSpec* spec = key && form->count("zone") ? managedSpec((*form)["zone"], *key) : nullptr;
  if (!key || !spec)
    return page(400, "Bad request", "The form needs an IP address or domain and a list name.");
  return removeKey(*key, *spec, request.client, now);
}

Response Handlers::removeKey(
    const LookupKey& key, const zone::ZoneSpec& spec, const std::string& client, std::int64_t now)
{
  bool listed = false;
  for (const auto& view : views(key, now))
    listed |= view.verdict.zone == spec.zone && !view.verdict.values.empty();
  admin::ZoneTarget target { spec.zone, spec.files.front(), *store::datasetTypeFromName(spec.type) };
  admin::EditResult result = admin::ZoneEditor(target).selfRemove(key.text, client, listed, now);
  ++d_counters.removals[result.logged];
  if (result.outcome == admin::Outcome::Done && d_sources.reload)
    d_sources.reload();
  static constexpr int kStatus[] = { 200, 500, 400, 403, 404 }; // by admin::Outcome
  std::string message = result.keys.empty() ? result.reason : result.keys.front().reason;
  return page(kStatus[admin::exitCode(result.outcome)],
      result.outcome == admin::Outcome::Done ? "Removed" : "Not removed", message, key.text);
}

} // namespace shun::web
