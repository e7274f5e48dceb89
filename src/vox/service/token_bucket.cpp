#include "vox/service/token_bucket.h"

#include <algorithm>

namespace vox::service {

namespace {
constexpr double kMinRetryS = 0.001;
}

TakeResult take_tokens(BucketState& state, const BucketSpec& spec, double now_s, double cost, bool allow_debt) {
  if (!state.initialised) {
    state.level = spec.capacity;
    state.updated_s = now_s;
    state.initialised = true;
  }
  // A clock that steps backwards refills nothing rather than draining the bucket.
  double elapsed = std::max(0.0, now_s - state.updated_s);
  state.level = std::min(spec.capacity, state.level + elapsed * spec.refill_per_s);
  state.updated_s = std::max(state.updated_s, now_s);

  TakeResult r;
  bool enough = cost > 0 ? state.level >= cost : state.level > 0;
  if (allow_debt || enough) {
    state.level -= cost;
    r.allowed = true;
  } else {
    double need = std::max(cost, 0.0) - state.level;
    r.retry_after_s = spec.refill_per_s > 0 ? std::max(need / spec.refill_per_s, kMinRetryS) : 1e9;
  }
  r.level = state.level;
  return r;
}

BucketSpec per_minute(double rpm) { return BucketSpec{std::max(rpm, 1.0), rpm / 60.0}; }
BucketSpec per_hour(double amount) { return BucketSpec{amount, amount / 3600.0}; }

}  // namespace vox::service
