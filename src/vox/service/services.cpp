#include "vox/service/services.h"

#include "vox/service/redis_key_store.h"
#include "vox/service/sqlite_key_store.h"

namespace vox::service {

std::unique_ptr<Services> make_services(const ServiceConfig& config, std::unique_ptr<KeyStore> keys,
                                        std::unique_ptr<RateLimiter> limiter) {
  auto s = std::make_unique<Services>(config);
  s->keys = std::move(keys);
  s->limiter = std::move(limiter);
  s->access = std::make_unique<AccessControl>(s->config, *s->keys, *s->limiter, s->metrics);
  return s;
}

Result<std::unique_ptr<Services>> open_services(const ServiceConfig& config) {
  if (!config.redis_url.empty()) {
    // One connection shared by both adapters: every server sees the same keys and buckets.
    auto client = RedisClient::connect(config.redis_url);
    if (!client) return client.error();
    std::shared_ptr<RedisClient> shared(std::move(*client));
    return make_services(config, make_redis_key_store(shared, config.redis_prefix),
                         make_redis_rate_limiter(shared, config.redis_prefix));
  }
  auto keys = open_key_store(config);
  if (!keys) return keys.error();
  return make_services(config, std::move(*keys), make_local_rate_limiter());
}

}  // namespace vox::service
