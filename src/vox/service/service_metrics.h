// The series vox exports at GET /metrics, defined in one place so names and labels stay stable.
#pragma once

#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "vox/service/metrics.h"

namespace vox::service {

class ServiceMetrics {
 public:
  explicit ServiceMetrics(MetricsRegistry& registry);

  // Route patterns ("/v1/jobs/{id}") label requests, so ids never become label values.
  void add_route(const std::string& pattern);
  // The pattern a path matches; "unmatched" under /v1/, "static" elsewhere.
  std::string route_label(const std::string& path) const;

  void request_finished(const std::string& method, const std::string& path, int status, double seconds);
  void transcription_finished(const std::string& engine, double audio_seconds, double processing_seconds);
  void speech_finished(const std::string& engine, std::size_t characters, double audio_seconds, double processing_seconds);
  void auth_failed(const std::string& reason);   // missing | invalid | revoked
  void rate_limited(const std::string& limit);   // requests | audio_seconds | concurrent
  void store_error();

  // Gauges read at scrape time from the components that own the numbers.
  void set_inflight_sampler(std::function<double()> f);
  void set_queue_depth_sampler(std::function<double()> f);
  void set_workers_sampler(std::function<double()> f);
  void set_jobs_sampler(std::function<std::vector<std::pair<std::string, double>>()> f);  // state → count

  MetricsRegistry& registry() { return registry_; }

 private:
  MetricsRegistry& registry_;
  Counter& requests_;
  Histogram& latency_;
  Counter& audio_seconds_;
  Counter& transcriptions_;
  Histogram& rtf_;
  Counter& characters_;
  Counter& speech_seconds_;
  Counter& auth_failures_;
  Counter& rate_limited_;
  Counter& store_errors_;
  Gauge& inflight_;
  Gauge& queue_depth_;
  Gauge& workers_;
  Gauge& jobs_;
  mutable std::mutex routes_mu_;
  std::vector<std::vector<std::string>> routes_;  // patterns split at '/'
};

}  // namespace vox::service
