#include <chrono>
#include <mutex>
#include <unordered_map>

#include "vox/service/rate_limiter.h"

namespace vox::service {

namespace {

double monotonic_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

class LocalRateLimiter final : public RateLimiter {
 public:
  explicit LocalRateLimiter(std::function<double()> now) : now_(now ? std::move(now) : monotonic_seconds) {}

  Result<TakeResult> take(const std::string& name, const BucketSpec& spec, double cost) override {
    std::lock_guard lock(mu_);
    return take_tokens(buckets_[name], spec, now_(), cost, false);
  }

  Status charge(const std::string& name, const BucketSpec& spec, double cost) override {
    std::lock_guard lock(mu_);
    take_tokens(buckets_[name], spec, now_(), cost, true);
    return Status::Ok();
  }

  Result<bool> acquire_slot(const std::string& name, int limit) override {
    std::lock_guard lock(mu_);
    int& used = slots_[name];
    if (used >= limit) return false;
    ++used;
    return true;
  }

  Status release_slot(const std::string& name) override {
    std::lock_guard lock(mu_);
    auto it = slots_.find(name);
    if (it != slots_.end() && --it->second <= 0) slots_.erase(it);
    return Status::Ok();
  }

 private:
  std::function<double()> now_;
  std::mutex mu_;
  std::unordered_map<std::string, BucketState> buckets_;
  std::unordered_map<std::string, int> slots_;
};

}  // namespace

std::unique_ptr<RateLimiter> make_local_rate_limiter(std::function<double()> now_s) {
  return std::make_unique<LocalRateLimiter>(std::move(now_s));
}

}  // namespace vox::service
