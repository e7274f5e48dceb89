// Port: per-key rate limits. Two adapters: in-process token buckets (one server) and Redis
// (several servers sharing limits); make_rate_limiter() picks by config.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "vox/core/error.h"
#include "vox/service/redis_client.h"
#include "vox/service/token_bucket.h"

namespace vox::service {

class RateLimiter {
 public:
  virtual ~RateLimiter() = default;
  // Takes `cost` tokens from bucket `name` (see take_tokens for cost 0).
  virtual Result<TakeResult> take(const std::string& name, const BucketSpec& spec, double cost) = 0;
  // Charges `cost` after the work is done (e.g. audio seconds); the bucket may go into debt.
  virtual Status charge(const std::string& name, const BucketSpec& spec, double cost) = 0;
  // Counting semaphore of `limit` slots called `name`; false when all are taken.
  virtual Result<bool> acquire_slot(const std::string& name, int limit) = 0;
  virtual Status release_slot(const std::string& name) = 0;
};

// In-process buckets; `now_s` is the clock (monotonic seconds), injectable for tests.
std::unique_ptr<RateLimiter> make_local_rate_limiter(std::function<double()> now_s = {});
// Buckets in Redis, timed by the Redis server's clock so that every vox server agrees.
std::unique_ptr<RateLimiter> make_redis_rate_limiter(std::shared_ptr<RedisClient> client, std::string prefix);

}  // namespace vox::service
