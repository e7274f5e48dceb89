#include "vox/service/service_metrics.h"

#include <algorithm>

namespace vox::service {

namespace {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    out.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

bool matches(const std::vector<std::string>& pattern, const std::vector<std::string>& path) {
  if (pattern.size() != path.size()) return false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const auto& p = pattern[i];
    bool wildcard = p.size() >= 2 && p.front() == '{' && p.back() == '}';
    if (wildcard ? path[i].empty() : p != path[i]) return false;
  }
  return true;
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? "/" : "") + parts[i];
  return out;
}

const std::vector<double> kLatencyBounds = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};
const std::vector<double> kRtfBounds = {0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 5};

}  // namespace

ServiceMetrics::ServiceMetrics(MetricsRegistry& r)
    : registry_(r),
      requests_(r.counter("vox_http_requests_total", "HTTP requests by method, route and status.",
                          {"method", "route", "status"})),
      latency_(r.histogram("vox_http_request_duration_seconds", "Time from request to reply, by route.", {"route"},
                           kLatencyBounds)),
      audio_seconds_(r.counter("vox_audio_seconds_processed_total", "Seconds of audio transcribed, by engine.", {"engine"})),
      transcriptions_(r.counter("vox_transcriptions_total", "Finished transcriptions, by engine.", {"engine"})),
      rtf_(r.histogram("vox_realtime_factor", "Processing time / audio duration of each transcription, by engine.",
                       {"engine"}, kRtfBounds)),
      characters_(r.counter("vox_speech_characters_total", "Characters synthesised, by engine.", {"engine"})),
      speech_seconds_(r.counter("vox_speech_audio_seconds_total", "Seconds of speech synthesised, by engine.", {"engine"})),
      auth_failures_(r.counter("vox_auth_failures_total", "Requests refused for a missing, invalid or revoked API key.",
                               {"reason"})),
      rate_limited_(r.counter("vox_rate_limited_total", "Requests refused by a per-key limit.", {"limit"})),
      store_errors_(r.counter("vox_key_store_errors_total", "Failed reads or writes of the key / usage store.")),
      inflight_(r.gauge("vox_inflight_requests", "Requests running engines now.")),
      queue_depth_(r.gauge("vox_queue_depth", "Requests waiting for an engine slot.")),
      workers_(r.gauge("vox_workers", "Engine worker threads.")),
      jobs_(r.gauge("vox_jobs", "Jobs by state.", {"state"})) {
  r.gauge("vox_build_info", "Always 1; the version is a label.", {"version"}).set({VOX_VERSION}, 1);
  inflight_.set({}, 0);
  queue_depth_.set({}, 0);
  workers_.set({}, 0);
  store_errors_.inc({}, 0);
}

void ServiceMetrics::add_route(const std::string& pattern) {
  std::lock_guard lock(routes_mu_);
  auto parts = split_path(pattern);
  if (std::find(routes_.begin(), routes_.end(), parts) == routes_.end()) routes_.push_back(std::move(parts));
}

std::string ServiceMetrics::route_label(const std::string& path) const {
  auto parts = split_path(path);
  {
    std::lock_guard lock(routes_mu_);
    // An exact pattern wins over one with placeholders ("/v1/jobs/stats" over "/v1/jobs/{id}").
    const std::vector<std::string>* best = nullptr;
    for (const auto& r : routes_) {
      if (!matches(r, parts)) continue;
      if (!best || r == parts) best = &r;
    }
    if (best) return join(*best);
  }
  if (path == "/v1" || path.rfind("/v1/", 0) == 0) return "unmatched";
  return "static";
}

void ServiceMetrics::request_finished(const std::string& method, const std::string& path, int status, double seconds) {
  std::string route = route_label(path);
  requests_.inc({method, route, std::to_string(status)});
  latency_.observe({route}, seconds);
}

void ServiceMetrics::transcription_finished(const std::string& engine, double audio_s, double processing_s) {
  transcriptions_.inc({engine});
  if (audio_s > 0) {
    audio_seconds_.inc({engine}, audio_s);
    rtf_.observe({engine}, processing_s / audio_s);
  }
}

void ServiceMetrics::speech_finished(const std::string& engine, std::size_t characters, double audio_s, double) {
  characters_.inc({engine}, double(characters));
  if (audio_s > 0) speech_seconds_.inc({engine}, audio_s);
}

void ServiceMetrics::auth_failed(const std::string& reason) { auth_failures_.inc({reason}); }
void ServiceMetrics::rate_limited(const std::string& limit) { rate_limited_.inc({limit}); }
void ServiceMetrics::store_error() { store_errors_.inc(); }

namespace {
Gauge::Sampler single(std::function<double()> f) {
  return [f = std::move(f)] { return std::vector<std::pair<LabelValues, double>>{{{}, f()}}; };
}
}  // namespace

void ServiceMetrics::set_inflight_sampler(std::function<double()> f) { inflight_.set_sampler(single(std::move(f))); }
void ServiceMetrics::set_queue_depth_sampler(std::function<double()> f) { queue_depth_.set_sampler(single(std::move(f))); }
void ServiceMetrics::set_workers_sampler(std::function<double()> f) { workers_.set_sampler(single(std::move(f))); }
void ServiceMetrics::set_jobs_sampler(std::function<std::vector<std::pair<std::string, double>>()> f) {
  jobs_.set_sampler([f = std::move(f)] {
    std::vector<std::pair<LabelValues, double>> out;
    for (auto& [state, n] : f()) out.push_back({{state}, n});
    return out;
  });
}

}  // namespace vox::service
