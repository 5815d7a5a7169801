#include "web/prometheus.hpp"

#include "shun/metrics/format.hpp"
#include "shun/version.hpp"
#include "web/lookup.hpp"

#include <cstdio>
#include <utility>
#include <vector>

namespace shun::web {
namespace {

struct Writer {
  std::string out;
  void family(const char* name, const char* type, const char* help)
  {
    out += std::string("# HELP ") + name + ' ' + help + "\n# TYPE " + name + ' ' + type + '\n';
  }
  void sample(const char* name, const std::string& labels, std::uint64_t value)
  {
    out += name;
    if (!labels.empty())
      out += '{' + labels + '}';
    out += ' ' + std::to_string(value) + '\n';
  }
  void real(const char* name, const std::string& labels, double value)
  {
    char text[32];
    std::snprintf(text, sizeof text, "%.15g", value);
    out += name;
    if (!labels.empty())
      out += '{' + labels + '}';
    out += ' ' + std::string(text) + '\n';
  }
  /// A family with one unlabelled sample.
  void single(const char* name, const char* type, const char* help, std::uint64_t value)
  {
    family(name, type, help);
    sample(name, "", value);
  }
};

void serverMetrics(Writer& w, const ServerSample& sample)
{
  const auto& c = sample.counters;
  w.family("shun_server_queries_total", "counter", "DNS queries answered, by transport and rcode.");
  for (std::size_t t = 0; t < c.queries.size(); ++t)
    for (std::size_t rcode = 0; rcode < c.queries[t].size(); ++rcode) {
      // The rcodes shund answers with, even at zero (so rate() works); others only once seen.
      constexpr unsigned kAnswered = 1u << 0 | 1u << 1 | 1u << 2 | 1u << 3 | 1u << 4 | 1u << 5 | 1u << 9;
      if (!(kAnswered & (1u << rcode)) && c.queries[t][rcode] == 0)
        continue;
      char name[16];
      std::string rcodeText(name, metrics::rcodeName(static_cast<std::uint8_t>(rcode), name));
      w.sample("shun_server_queries_total",
          std::string("transport=\"") + (t == 0 ? "udp" : "tcp") + "\",rcode=\"" + rcodeText + '"',
          c.queries[t][rcode]);
    }
  w.family("shun_server_queries_by_type_total", "counter", "DNS queries answered, by query type.");
  for (std::size_t slot = 0; slot < c.byQtype.size(); ++slot)
    w.sample("shun_server_queries_by_type_total", std::string("type=\"") + metrics::qtypeSlotName(slot) + '"',
        c.byQtype[slot]);
  w.family("shun_server_answers_total", "counter", "Answers in our zones, listed or unlisted.");
  w.sample("shun_server_answers_total", "result=\"listed\"", c.listed);
  w.sample("shun_server_answers_total", "result=\"unlisted\"", c.unlisted);
  w.single("shun_server_truncated_total", "counter", "Answers sent with the TC bit.", c.truncated);
  w.single("shun_server_malformed_total", "counter", "Malformed queries.", c.malformed);
  w.family("shun_server_rate_limited_total", "counter",
      "UDP answers over the --rrl rate: sent truncated (slipped), dropped, or sent anyway (log_only).");
  for (auto [action, name] : { std::pair { metrics::Limited::Slipped, "slipped" },
           std::pair { metrics::Limited::Dropped, "dropped" },
           std::pair { metrics::Limited::LogOnly, "log_only" } })
    w.sample("shun_server_rate_limited_total", std::string("action=\"") + name + '"',
        c.limited[static_cast<std::size_t>(action)]);
  w.family("shun_server_cookies_total", "counter",
      "Queries with a DNS COOKIE option, by what it held (valid: a server cookie of ours).");
  for (auto [state, name] : { std::pair { query::CookieState::ClientOnly, "client_only" },
           std::pair { query::CookieState::Valid, "valid" },
           std::pair { query::CookieState::Invalid, "invalid" },
           std::pair { query::CookieState::Malformed, "malformed" } })
    w.sample("shun_server_cookies_total", std::string("cookie=\"") + name + '"',
        c.cookies[static_cast<std::size_t>(state)]);
  w.single("shun_server_cookie_failures_total", "counter",
      "Queries with a COOKIE answered without a server cookie: OpenSSL's SipHash could not be set up.",
      c.cookieFailures);
  w.single("shun_server_dropped_total", "counter", "Queries that got no reply.", c.dropped);
  w.family("shun_server_tcp_refused_total", "counter",
      "TCP connections closed at once: --tcp-max-connections or --tcp-max-per-client reached.");
  w.sample("shun_server_tcp_refused_total", "reason=\"limit\"", sample.tcpRefusedLimit);
  w.sample("shun_server_tcp_refused_total", "reason=\"per_client\"", sample.tcpRefusedPerClient);
  w.single("shun_server_tcp_accept_pauses_total", "counter",
      "Times a TCP listener paused because the process was out of file descriptors.", sample.tcpAcceptPauses);
  w.single("shun_server_received_bytes_total", "counter", "Query bytes received.", c.bytesIn);
  w.single("shun_server_sent_bytes_total", "counter", "Answer bytes sent.", c.bytesOut);
  w.family("shun_server_zone_queries_total", "counter", "DNS queries by zone and rcode class.");
  for (const auto& [zone, counters] : sample.zones.zones) {
    std::string label = "zone=\"" + labelValue(zone) + "\",result=";
    w.sample("shun_server_zone_queries_total", label + "\"noerror\"", counters.ok);
    w.sample("shun_server_zone_queries_total", label + "\"nxdomain\"", counters.nxdomain);
    w.sample("shun_server_zone_queries_total", label + "\"other\"",
        counters.queries - std::min(counters.queries, counters.ok + counters.nxdomain));
  }
}

void reloadMetrics(Writer& w, const server::ReloadCounters& r)
{
  w.single("shun_server_reloads_total", "counter", "Successful zone reloads.", r.reloads.load());
  w.single("shun_server_reload_failures_total", "counter", "Failed zone reloads (previous data kept).",
      r.failures.load());
  w.single("shun_server_last_reload_timestamp_seconds", "gauge", "Time of the last successful reload.",
      static_cast<std::uint64_t>(r.lastReload.load()));
  w.single("shun_server_last_reload_failure_timestamp_seconds", "gauge", "Time of the last failed reload.",
      static_cast<std::uint64_t>(r.lastFailure.load()));
  w.family("shun_server_reload_passes_total", "counter",
      "Reload passes (a load, changed or not), by what started them; a pass with several causes counts under "
      "each.");
  for (std::size_t i = 0; i < server::kReloadTriggers.size(); ++i)
    w.sample("shun_server_reload_passes_total", std::string("trigger=\"") + server::kReloadTriggers[i] + '"',
        r.passes[i].load());
  w.family(
      "shun_server_reload_duration_seconds", "histogram", "Time each reload pass took to load the zones.");
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < r.buckets.size(); ++i) {
    cumulative += r.buckets[i].load();
    char bound[32] = "+Inf";
    if (i < server::kReloadBuckets.size())
      std::snprintf(bound, sizeof bound, "%g", server::kReloadBuckets[i]);
    w.sample("shun_server_reload_duration_seconds_bucket", std::string("le=\"") + bound + '"', cumulative);
  }
  w.real("shun_server_reload_duration_seconds_sum", "", static_cast<double>(r.durationMicros.load()) / 1e6);
  w.sample("shun_server_reload_duration_seconds_count", "", cumulative);
  w.family("shun_server_last_reload_duration_seconds", "gauge", "Time the last reload pass took.");
  w.real(
      "shun_server_last_reload_duration_seconds", "", static_cast<double>(r.lastDurationMicros.load()) / 1e6);
}

void zoneMetrics(Writer& w, const store::Snapshot& snapshot, std::int64_t now)
{
  w.family("shun_zone_entries", "gauge", "Entries (ranges and names) loaded per zone.");
  std::vector<std::pair<std::string, std::uint64_t>> expired; // a family's samples come together
  for (const auto& zone : snapshot.zones) {
    auto size = store::zoneSize(zone, now);
    std::string label = "zone=\"" + labelValue(zone.text) + '"';
    w.sample("shun_zone_entries", label, size.entries);
    expired.emplace_back(label, size.expired);
  }
  w.family("shun_zone_expired_values", "gauge", "Loaded values past their expiry (no longer served).");
  for (const auto& [label, count] : expired)
    w.sample("shun_zone_expired_values", label, count);
  w.single("shun_zone_snapshot_timestamp_seconds", "gauge", "When the served snapshot was built.",
      static_cast<std::uint64_t>(snapshot.builtAt));
}

// Keyed zones only: queries by what their key decided, then each key's counters by id (never the key).
void accessMetrics(Writer& w, const ServerSample* sample, const store::AccessKeySet& keys)
{
  using store::AccessCheck;
  constexpr AccessCheck kRefusals[] = { AccessCheck::Malformed, AccessCheck::Unknown, AccessCheck::Revoked,
    AccessCheck::Expired, AccessCheck::WrongZone, AccessCheck::OverQuota };
  auto label
      = [](AccessCheck check) { return "result=\"" + std::string(store::accessCheckName(check)) + '"'; };
  if (sample) {
    w.family(
        "shun_access_queries_total", "counter", "Queries to keyed zones by what their access key decided.");
    w.sample("shun_access_queries_total", label(AccessCheck::Valid),
        sample->counters.access[static_cast<std::size_t>(AccessCheck::Valid)]);
    for (AccessCheck check : kRefusals)
      w.sample("shun_access_queries_total", label(check),
          sample->counters.access[static_cast<std::size_t>(check)]);
  }
  w.family(
      "shun_access_key_queries_total", "counter", "Queries under each access key (by its id), by result.");
  for (const store::AccessKey& key : keys.keys()) {
    std::string id = "id=\"" + labelValue(key.id) + "\",";
    w.sample("shun_access_key_queries_total", id + label(AccessCheck::Valid), key.counters->answered.load());
    for (AccessCheck check : kRefusals)
      if (check != AccessCheck::Malformed && check != AccessCheck::Unknown)
        w.sample("shun_access_key_queries_total", id + label(check),
            key.counters->refused[static_cast<std::size_t>(check)].load());
  }
}

} // namespace

std::string processMetrics(const std::optional<metrics::ProcessSample>& sample)
{
  if (!sample)
    return {};
  Writer w;
  w.family("process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.");
  w.real("process_cpu_seconds_total", "", sample->cpuSeconds);
  w.single("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", sample->residentBytes);
  w.single("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.", sample->virtualBytes);
  w.single("process_open_fds", "gauge", "Number of open file descriptors.", sample->openFds);
  w.single("process_max_fds", "gauge", "Maximum number of open file descriptors.", sample->maxFds);
  w.family("process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.");
  w.real("process_start_time_seconds", "", sample->startTime);
  return w.out;
}

std::string labelValue(const std::string& text)
{
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == '"')
      out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string formatMetrics(const ServerSample* sample, const server::ReloadCounters* reloads,
    const store::Snapshot* snapshot, const WebCounters& web, std::int64_t now)
{
  Writer w;
  w.family("shun_build_info", "gauge", "The running shund's version, as a label; always 1.");
  w.sample("shun_build_info", "version=\"" + std::string(kVersion) + '"', 1);
  if (sample)
    serverMetrics(w, *sample);
  if (reloads)
    reloadMetrics(w, *reloads);
  if (snapshot)
    zoneMetrics(w, *snapshot, now);
  if (snapshot && snapshot->accessKeys)
    accessMetrics(w, sample, *snapshot->accessKeys);
  w.family("shun_web_removal_requests_total", "counter", "Self-removal requests by outcome.");
  for (const char* outcome : { "granted", "queued", "refused-policy", "refused-limit", "refused-cooldown",
           "not-listed", "refused-range", "refused-protected", "refused-token", "refused-cross-site",
           "rate-limited", "error" }) {
    auto found = web.removals.find(outcome);
    w.sample("shun_web_removal_requests_total", std::string("outcome=\"") + outcome + '"',
        found == web.removals.end() ? 0 : found->second);
  }
  w.single("shun_web_connections_refused_total", "counter",
      "HTTP connections closed at once because --http-max-connections were open.", web.connectionsRefused);
  w.single("shun_web_accept_pauses_total", "counter",
      "Times the HTTP listener paused because the process was out of file descriptors.", web.acceptPauses);
  w.family("shun_web_responses_total", "counter", "HTTP responses by status code.");
  for (const auto& [status, count] : web.responses)
    w.sample("shun_web_responses_total", "code=\"" + std::to_string(status) + '"', count);
  return w.out;
}

} // namespace shun::web
