#include "web/prometheus.hpp"

#include <catch2/catch.hpp>

using namespace shun;

TEST_CASE("prometheus: process figures use client_golang's names")
{
  metrics::ProcessSample sample;
  sample.cpuSeconds = 1.5;
  sample.residentBytes = 4096;
  sample.openFds = 12;
  sample.maxFds = 1024;
  sample.startTime = 1764000000.25;
  std::string text = web::processMetrics(sample);
  CHECK_THAT(
      text, Catch::Contains("# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total 1.5\n"));
  CHECK_THAT(text, Catch::Contains("\nprocess_resident_memory_bytes 4096\n"));
  CHECK_THAT(text, Catch::Contains("\nprocess_open_fds 12\n"));
  CHECK_THAT(text, Catch::Contains("\nprocess_max_fds 1024\n"));
  CHECK_THAT(text, Catch::Contains("\nprocess_start_time_seconds 1764000000.25\n"));
  CHECK(web::processMetrics(std::nullopt).empty());
}

TEST_CASE("prometheus: reload durations form a cumulative histogram, passes count by trigger")
{
  server::ReloadCounters reloads;
  reloads.recordDuration(0.002);
  reloads.recordDuration(0.3);
  reloads.recordDuration(500);
  reloads.passes[0] = 2; // signal
  web::WebCounters counters;
  std::string text = web::formatMetrics(nullptr, &reloads, nullptr, counters, 0);
  CHECK_THAT(text, Catch::Contains("# TYPE shun_server_reload_duration_seconds histogram\n"));
  CHECK_THAT(text, Catch::Contains("shun_server_reload_duration_seconds_bucket{le=\"0.01\"} 1\n"));
  CHECK_THAT(text, Catch::Contains("shun_server_reload_duration_seconds_bucket{le=\"0.25\"} 1\n"));
  CHECK_THAT(text, Catch::Contains("shun_server_reload_duration_seconds_bucket{le=\"1\"} 2\n"));
  CHECK_THAT(text, Catch::Contains("shun_server_reload_duration_seconds_bucket{le=\"120\"} 2\n"));
  CHECK_THAT(text, Catch::Contains("shun_server_reload_duration_seconds_bucket{le=\"+Inf\"} 3\n"));
  CHECK_THAT(text, Catch::Contains("shun_server_reload_duration_seconds_count 3\n"));
  CHECK_THAT(text, Catch::Contains("shun_server_reload_duration_seconds_sum 500.302\n"));
  CHECK_THAT(text, Catch::Contains("shun_server_last_reload_duration_seconds 500\n"));
  CHECK_THAT(text, Catch::Contains("shun_server_reload_passes_total{trigger=\"signal\"} 2\n"));
  CHECK_THAT(text, Catch::Contains("shun_server_reload_passes_total{trigger=\"journal\"} 0\n"));
}
