#pragma once

#include "shun/web/web.hpp"
#include "web/form_token.hpp"
#include "web/page.hpp"
#include "web/prometheus.hpp"
#include "web/rate_limit.hpp"

#include <cstdint>
#include <map>
#include <string>

namespace shun::web {

/// An HTTP answer before it is sent.
struct Response {
  int status = 200;
  std::string contentType = "text/html; charset=utf-8";
  std::string body;
};

/// One parsed request, independent of libevent (so the routing is unit-testable).
struct Request {
  std::string method; ///< "GET", "POST", ...
  std::string target; ///< path and query as received
  std::string body;
  std::string client; ///< peer address
  std::map<std::string, std::string> headers; ///< names lower-cased
};

/// Routes requests to the lookup page, the JSON API, self-removal and /metrics. Web thread only.
class Handlers {
public:
  explicit Handlers(WebSources sources);
  /// Answers request at now (unix seconds) and nowMs (monotonic milliseconds, for rate limits).
  Response handle(const Request& request, std::int64_t now, std::int64_t nowMs);
  /// The counters /metrics shows (the listener adds its connection counts).
  WebCounters& counters() { return d_counters; }

private:
  Response lookup(const std::string& keyText, bool json, PageContext& page);
  Response metrics(std::int64_t now);
  Response remove(const Request& request, PageContext& page);
  /// The page context of request: its language (?lang=, a form's lang, Accept-Language), the time and
  /// every zone's contact.
  PageContext contextOf(const Request& request, const std::string& path, std::int64_t now) const;
  /// Why a removal POST is refused before its form is read (cross-site, wrong type); 0: not refused.
  static int crossSite(const Request& request);
  Response removeKey(const LookupKey& key, const zone::ZoneSpec& spec, const std::string& client,
      const std::string& token, const PageContext& page);
  std::vector<ZoneView> views(const LookupKey& key, std::int64_t now);
  static ZoneNotes notesOf(const zone::ZoneSpec* spec);
  /// The data file of zone that holds keys like key (the one shunctl and self-removal write), or null.
  const zone::ZoneSpec* managedSpec(const std::string& zone, const LookupKey& key) const;
  Response record(Response response);

  WebSources d_sources;
  RateLimiter d_getLimiter;
  RateLimiter d_postLimiter; ///< per address (per /64 for IPv6)
  RateLimiter d_postNetLimiter; ///< per /24 and /56, so many addresses of one network share a limit
  FormTokens d_tokens;
  WebCounters d_counters;
};

} // namespace shun::web
