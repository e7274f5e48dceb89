// Who is calling and may they go on: key authentication, per-key limits and usage accounting.
// HTTP-free (the server's gate adapts it), so job runners can charge usage the same way.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "vox/core/error.h"
#include "vox/service/key_store.h"
#include "vox/service/rate_limiter.h"
#include "vox/service/service_config.h"
#include "vox/service/service_metrics.h"

namespace vox::service {

struct Caller {
  bool anonymous = true;  // no key configured on this server: open, loopback-only mode
  std::string key_id;
  std::string key_name;
  KeyLimits limits;       // effective: the key's own or the server's defaults (0 = unlimited)
};

class AccessControl {
 public:
  // `now_s` is wall-clock Unix time (usage days, last-used); injectable for tests.
  AccessControl(const ServiceConfig& config, KeyStore& keys, RateLimiter& limiter, ServiceMetrics& metrics,
                std::function<std::int64_t()> now_s = {});

  // `token` is the bearer token ("" when absent). While no key was ever created every caller is
  // anonymous; otherwise a missing, unknown or revoked key is kUnauthorized, and a store failure
  // is kUnavailable (fail closed).
  Result<Caller> authenticate(const std::string& token);
  // Checks the request-rate bucket and any unpaid audio charge, then, for a job, takes one of the
  // key's concurrent slots (give it back with release_job). kRateLimited carries retry_after_s.
  // Counts the request in the key's usage once admitted.
  Status admit(const Caller& caller, bool job);
  void release_job(const Caller& caller);
  // The audio part of admit(): kRateLimited while the key's audio debt is not refilled. Live
  // sessions call it at the start and after each turn, since they run for as long as they like.
  Status check_audio(const Caller& caller);

  // Post-paid charges, called when the work is done (key_id "" = anonymous: metrics only).
  void record_transcription(const std::string& key_id, const std::string& engine, double audio_seconds,
                            double processing_seconds);
  void record_speech(const std::string& key_id, const std::string& engine, std::size_t characters,
                     double audio_seconds, double processing_seconds);

  Result<std::vector<DailyUsage>> usage(const std::string& key_id, const std::string& first_day,
                                        const std::string& last_day);
  Result<std::optional<ApiKey>> key(const std::string& key_id) { return keys_.find_by_id(key_id); }
  std::int64_t now() const { return now_(); }

 private:
  KeyLimits effective(const KeyLimits& own) const;
  void add_usage(const std::string& key_id, const UsageDelta& delta);

  ServiceConfig config_;
  KeyStore& keys_;
  RateLimiter& limiter_;
  ServiceMetrics& metrics_;
  std::function<std::int64_t()> now_;
};

}  // namespace vox::service
