#pragma once

#include "shun/metrics/process.hpp"
#include "shun/web/web.hpp"

#include <cstdint>
#include <map>
#include <string>

namespace shun::web {

/// Counters kept by the web listener itself.
struct WebCounters {
  std::map<std::string, std::uint64_t> removals; ///< self-removal requests by outcome
  std::map<int, std::uint64_t> responses; ///< HTTP responses by status
  std::uint64_t connectionsRefused = 0; ///< closed at once: --http-max-connections reached
  std::uint64_t acceptPauses = 0; ///< accepting paused: out of file descriptors
};

/// The Prometheus text exposition (version 0.0.4) of everything shund counts. Names follow
/// shun_<module>_<name>_<unit>; per-worker counters are summed by sample before this is called.
std::string formatMetrics(const ServerSample* sample, const server::ReloadCounters* reloads,
    const store::Snapshot* snapshot, const WebCounters& web, std::int64_t now);

/// The process_* families (client_golang's names and units) for sample; empty for nullopt.
std::string processMetrics(const std::optional<metrics::ProcessSample>& sample);

/// A label value escaped for the exposition format (backslash, quote, newline).
std::string labelValue(const std::string& text);

} // namespace shun::web
