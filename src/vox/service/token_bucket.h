// Token-bucket arithmetic, shared by the in-process limiter (and mirrored by the Redis limiter's
// Lua script). Pure functions of (state, time) so the maths is testable without a clock.
#pragma once

namespace vox::service {

struct BucketSpec {
  double capacity = 1;      // the burst: a new bucket starts full
  double refill_per_s = 1;  // tokens per second
};

struct BucketState {
  double level = 0;
  double updated_s = 0;
  bool initialised = false;  // false: treated as full at the first take
};

struct TakeResult {
  bool allowed = false;
  double retry_after_s = 0;  // when denied: seconds until the take would succeed
  double level = 0;          // after the take (negative = debt)
};

// Requests `cost` tokens at time `now_s`. cost > 0 needs level >= cost; cost == 0 only needs the
// bucket not to be empty or in debt (used to refuse work while a post-paid charge is unpaid).
// With `allow_debt` the cost is always taken, possibly driving the level below zero.
TakeResult take_tokens(BucketState& state, const BucketSpec& spec, double now_s, double cost, bool allow_debt);

// Requests/minute → a bucket of `rpm` requests refilled over a minute (at least one token).
BucketSpec per_minute(double rpm);
// Amount/hour (e.g. audio seconds) → a bucket of that amount refilled over an hour.
BucketSpec per_hour(double amount);

}  // namespace vox::service
