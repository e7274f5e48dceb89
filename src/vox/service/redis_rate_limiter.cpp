#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "vox/service/rate_limiter.h"

namespace vox::service {

namespace {

// The same arithmetic as take_tokens() (token_bucket.cpp), atomic inside Redis and timed by its
// clock. Numbers go back as strings because Redis truncates Lua numbers to integers.
constexpr const char* kTakeScript = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local cap, rate, cost = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local s = redis.call('HMGET', KEYS[1], 'level', 'ts')
local level, ts = tonumber(s[1]), tonumber(s[2])
if level == nil or ts == nil then level = cap; ts = now end
level = math.min(cap, level + math.max(0, now - ts) * rate)
if now < ts then now = ts end
local allowed, retry = 0, 0
local enough
if cost > 0 then enough = level >= cost else enough = level > 0 end
if ARGV[4] == '1' or enough then
  level = level - cost
  allowed = 1
elseif rate > 0 then
  retry = math.max((math.max(cost, 0) - level) / rate, 0.001)
else
  retry = 1e9
end
redis.call('HSET', KEYS[1], 'level', string.format('%.17g', level), 'ts', string.format('%.17g', now))
redis.call('EXPIRE', KEYS[1], ARGV[5])
return {allowed, string.format('%.17g', retry), string.format('%.17g', level)}
)lua";

constexpr const char* kAcquireScript = R"lua(
local n = redis.call('INCR', KEYS[1])
if n > tonumber(ARGV[1]) then
  redis.call('DECR', KEYS[1])
  return 0
end
redis.call('EXPIRE', KEYS[1], ARGV[2])
return 1
)lua";

constexpr const char* kReleaseScript = R"lua(
local n = redis.call('DECR', KEYS[1])
if n <= 0 then redis.call('DEL', KEYS[1]) end
return n
)lua";

// A slot counter left behind by a crashed server expires after this long.
constexpr int kSlotTtlS = 3600;

std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.17g", v);
  return buf;
}

class RedisRateLimiter final : public RateLimiter {
 public:
  RedisRateLimiter(std::shared_ptr<RedisClient> client, std::string prefix)
      : redis_(std::move(client)), p_(std::move(prefix)) {}

  Result<TakeResult> take(const std::string& name, const BucketSpec& spec, double cost) override {
    return run(name, spec, cost, false);
  }

  Status charge(const std::string& name, const BucketSpec& spec, double cost) override {
    auto r = run(name, spec, cost, true);
    if (!r) return r.error();
    return Status::Ok();
  }

  Result<bool> acquire_slot(const std::string& name, int limit) override {
    auto r = redis_->command({"EVAL", kAcquireScript, "1", p_ + "slots:" + name, std::to_string(limit),
                              std::to_string(kSlotTtlS)});
    if (!r) return r.error();
    return r->integer == 1;
  }

  Status release_slot(const std::string& name) override {
    auto r = redis_->command({"EVAL", kReleaseScript, "1", p_ + "slots:" + name});
    if (!r) return r.error();
    return Status::Ok();
  }

 private:
  Result<TakeResult> run(const std::string& name, const BucketSpec& spec, double cost, bool allow_debt) {
    // Keep an idle bucket until it would have refilled anyway (it then reads as full again).
    double refill_s = spec.refill_per_s > 0 ? spec.capacity / spec.refill_per_s : 86400.0;
    long ttl = long(std::ceil(std::min(refill_s, 30 * 86400.0))) + 60;
    auto r = redis_->command({"EVAL", kTakeScript, "1", p_ + "bucket:" + name, num(spec.capacity),
                              num(spec.refill_per_s), num(cost), allow_debt ? "1" : "0", std::to_string(ttl)});
    if (!r) return r.error();
    if (r->elements.size() != 3) return Error(ErrorCode::kInternal, "redis rate limiter: unexpected script reply");
    TakeResult t;
    t.allowed = r->elements[0].integer == 1;
    t.retry_after_s = std::strtod(r->elements[1].str.c_str(), nullptr);
    t.level = std::strtod(r->elements[2].str.c_str(), nullptr);
    return t;
  }

  std::shared_ptr<RedisClient> redis_;
  std::string p_;
};

}  // namespace

std::unique_ptr<RateLimiter> make_redis_rate_limiter(std::shared_ptr<RedisClient> client, std::string prefix) {
  return std::make_unique<RedisRateLimiter>(std::move(client), std::move(prefix));
}

}  // namespace vox::service
