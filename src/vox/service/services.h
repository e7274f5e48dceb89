// The service layer's objects, opened together from one config: key store and rate limiter (SQLite
// + in-process, or both in Redis), metrics, and the access control built on them.
#pragma once

#include <memory>

#include "vox/service/access_control.h"
#include "vox/service/cors_policy.h"
#include "vox/service/key_store.h"
#include "vox/service/metrics.h"
#include "vox/service/rate_limiter.h"
#include "vox/service/service_config.h"
#include "vox/service/service_metrics.h"

namespace vox::service {

struct Services {
  ServiceConfig config;
  std::unique_ptr<KeyStore> keys;
  std::unique_ptr<RateLimiter> limiter;
  MetricsRegistry registry;
  ServiceMetrics metrics{registry};
  CorsPolicy cors{config.cors_origins};
  std::unique_ptr<AccessControl> access;

  explicit Services(ServiceConfig c) : config(std::move(c)) {}
};

// Fails (kIo / kUnavailable) when the SQLite file cannot be opened or Redis cannot be reached.
Result<std::unique_ptr<Services>> open_services(const ServiceConfig& config);
// The same over given adapters (tests).
std::unique_ptr<Services> make_services(const ServiceConfig& config, std::unique_ptr<KeyStore> keys,
                                        std::unique_ptr<RateLimiter> limiter);

}  // namespace vox::service
