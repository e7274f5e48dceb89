// Token-bucket arithmetic with an explicit clock (no sleeping, no wall time).
#include <gtest/gtest.h>

#include "vox/service/token_bucket.h"

using namespace vox::service;

TEST(TokenBucket, StartsFullAndAllowsExactlyTheBurst) {
  BucketState s;
  BucketSpec spec{3, 1.0 / 20};  // 3 per minute
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(take_tokens(s, spec, 100.0, 1, false).allowed) << i;
  auto denied = take_tokens(s, spec, 100.0, 1, false);
  EXPECT_FALSE(denied.allowed);
  EXPECT_NEAR(denied.retry_after_s, 20.0, 1e-9);  // one token at 1/20 per second
}

TEST(TokenBucket, RefillsLinearlyAndCapsAtCapacity) {
  BucketState s;
  BucketSpec spec{2, 0.5};
  take_tokens(s, spec, 0, 2, false);
  EXPECT_NEAR(take_tokens(s, spec, 1.0, 0.25, false).level, 0.25, 1e-12);  // +0.5, -0.25
  auto late = take_tokens(s, spec, 1000.0, 1, false);  // long idle: full (2), not 500
  EXPECT_TRUE(late.allowed);
  EXPECT_NEAR(late.level, 1.0, 1e-12);
}

TEST(TokenBucket, RetryAfterIsExactlyTheWaitForTheMissingTokens) {
  BucketState s;
  BucketSpec spec{10, 2};
  take_tokens(s, spec, 0, 10, false);
  auto d = take_tokens(s, spec, 1.0, 5, false);  // level 2, needs 5 → 3 more at 2/s
  EXPECT_FALSE(d.allowed);
  EXPECT_NEAR(d.retry_after_s, 1.5, 1e-12);
  EXPECT_TRUE(take_tokens(s, spec, 2.5, 5, false).allowed);
}

TEST(TokenBucket, DebtBlocksZeroCostChecksUntilRepaid) {
  BucketState s;
  BucketSpec spec = per_hour(3600);  // 1 audio second per second
  EXPECT_TRUE(take_tokens(s, spec, 0, 0, false).allowed);
  auto charged = take_tokens(s, spec, 0, 3700, true);  // a 3700 s file: 100 s in debt
  EXPECT_TRUE(charged.allowed);
  EXPECT_NEAR(charged.level, -100, 1e-9);
  auto check = take_tokens(s, spec, 40, 0, false);
  EXPECT_FALSE(check.allowed);
  EXPECT_NEAR(check.retry_after_s, 60, 1e-9);
  EXPECT_TRUE(take_tokens(s, spec, 100.5, 0, false).allowed);
}

TEST(TokenBucket, ZeroCostNeedsAPositiveLevel) {
  BucketState s;
  BucketSpec spec{1, 1};
  take_tokens(s, spec, 0, 1, false);
  auto d = take_tokens(s, spec, 0, 0, false);
  EXPECT_FALSE(d.allowed);
  EXPECT_GT(d.retry_after_s, 0);
}

TEST(TokenBucket, ClockSteppingBackwardsNeitherRefillsNorDrains) {
  BucketState s;
  BucketSpec spec{5, 1};
  take_tokens(s, spec, 100, 3, false);
  auto r = take_tokens(s, spec, 50, 0.5, false);
  EXPECT_TRUE(r.allowed);
  EXPECT_NEAR(r.level, 1.5, 1e-12);
  EXPECT_NEAR(take_tokens(s, spec, 101, 0, false).level, 2.5, 1e-12);  // time resumes from 100
}

TEST(TokenBucket, PerMinuteAndPerHourSpecs) {
  auto m = per_minute(120);
  EXPECT_DOUBLE_EQ(m.capacity, 120);
  EXPECT_DOUBLE_EQ(m.refill_per_s, 2);
  EXPECT_DOUBLE_EQ(per_minute(0.5).capacity, 1);  // at least one request can ever pass
  auto h = per_hour(1800);
  EXPECT_DOUBLE_EQ(h.capacity, 1800);
  EXPECT_DOUBLE_EQ(h.refill_per_s, 0.5);
}
