// The service gate in front of every route: CORS preflights, API-key authentication, per-key
// rate limits and usage counting (before), CORS headers (after), metrics and the release of a
// job slot (on_complete). Plugged into AdapterOptions; the decisions live in vox/service.
#pragma once

#include <atomic>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "server/http_types.h"
#include "vox/service/services.h"

namespace vox::server {

class Gate {
 public:
  explicit Gate(service::Services& services) : s_(services) {}

  // AdapterOptions::before: a reply (204 preflight, 401, 429, 503) ends the request there.
  std::optional<HttpReply> before(const HttpRequest& request);
  // AdapterOptions::after: CORS headers on every reply, errors included.
  void after(const HttpRequest& request, HttpReply& reply);
  // AdapterOptions::on_complete: request metrics; gives back the job slot taken in before().
  void on_complete(const HttpRequest& request, int status, double seconds);

  // The calling key's id, "" when the server has no keys (open loopback mode) or the request's
  // key is missing/invalid. Handlers pass it to the record_* hooks.
  std::string caller_key_id(const HttpRequest& request);
  // The request's caller (key from `Authorization: Bearer`, or the `openai-insecure-api-key.KEY`
  // WebSocket subprotocol), for work that outlives the request (live sessions).
  Result<service::Caller> caller(const HttpRequest& request);

  // Call when a transcription / synthesis has finished: charges the key's usage and audio budget
  // and records engine metrics (key_id "" records metrics only).
  void record_transcription(const std::string& key_id, const std::string& engine, double audio_seconds,
                            double processing_seconds);
  void record_speech(const std::string& key_id, const std::string& engine, std::size_t characters,
                     double audio_seconds, double processing_seconds);

  service::Services& services() { return s_; }

  // Shutting down: every new request but /health gets 503 with Retry-After, so clients and load
  // balancers go elsewhere while the requests in flight finish.
  void set_draining() { draining_ = true; }
  bool draining() const { return draining_; }

 private:
  service::Services& s_;
  std::atomic<bool> draining_{false};
};

// GET /metrics (Prometheus text format; no key needed).
std::vector<Route> metrics_routes(service::MetricsRegistry& registry);
// GET /v1/usage: the calling key's usage per day.
std::vector<Route> usage_routes(Gate& gate);

}  // namespace vox::server
