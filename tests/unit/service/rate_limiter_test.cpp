// Both rate-limiter adapters against the same expectations. Refill rates are tiny so that the
// Redis server's real clock cannot refill a token during a test.
#include <gtest/gtest.h>

#include "redis_test_server.h"
#include "vox/service/rate_limiter.h"

using namespace vox;
using namespace vox::service;

namespace {

class RateLimiterContract : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "local") {
      limiter_ = make_local_rate_limiter([this] { return now_; });
    } else {
      auto* server = redis_testing::RedisTestServer::get();
      if (!server) GTEST_SKIP() << "redis-server not installed";
      limiter_ = make_redis_rate_limiter(server->client(), redis_testing::unique_prefix());
    }
  }
  double now_ = 1000;
  std::unique_ptr<RateLimiter> limiter_;
};

const BucketSpec kSlow{3, 1e-4};  // 3 tokens, one more every 10 000 s

TEST_P(RateLimiterContract, BurstThenDeniedWithRetryAfter) {
  for (int i = 0; i < 3; ++i) {
    auto t = limiter_->take("k1", kSlow, 1);
    ASSERT_TRUE(t) << t.error().message;
    EXPECT_TRUE(t->allowed) << i;
  }
  auto d = limiter_->take("k1", kSlow, 1);
  ASSERT_TRUE(d);
  EXPECT_FALSE(d->allowed);
  EXPECT_GT(d->retry_after_s, 9000);
  EXPECT_LE(d->retry_after_s, 10000);
}

TEST_P(RateLimiterContract, BucketsAreIndependent) {
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(limiter_->take("a", kSlow, 1)->allowed);
  EXPECT_FALSE(limiter_->take("a", kSlow, 1)->allowed);
  EXPECT_TRUE(limiter_->take("b", kSlow, 1)->allowed);
}

TEST_P(RateLimiterContract, ChargeCreatesDebtThatBlocksChecks) {
  EXPECT_TRUE(limiter_->take("audio", kSlow, 0)->allowed);
  ASSERT_TRUE(limiter_->charge("audio", kSlow, 5));  // 3 - 5 = -2
  auto d = limiter_->take("audio", kSlow, 0);
  ASSERT_TRUE(d);
  EXPECT_FALSE(d->allowed);
  EXPECT_NEAR(d->level, -2, 0.01);
  EXPECT_GT(d->retry_after_s, 19000);  // 2 tokens at 1e-4/s
}

TEST_P(RateLimiterContract, SlotsCountUpToTheLimitAndComeBack) {
  EXPECT_TRUE(*limiter_->acquire_slot("jobs", 2));
  EXPECT_TRUE(*limiter_->acquire_slot("jobs", 2));
  EXPECT_FALSE(*limiter_->acquire_slot("jobs", 2));
  EXPECT_TRUE(*limiter_->acquire_slot("other", 2));
  ASSERT_TRUE(limiter_->release_slot("jobs"));
  EXPECT_TRUE(*limiter_->acquire_slot("jobs", 2));
  EXPECT_FALSE(*limiter_->acquire_slot("jobs", 2));
  ASSERT_TRUE(limiter_->release_slot("jobs"));
  ASSERT_TRUE(limiter_->release_slot("jobs"));
  ASSERT_TRUE(limiter_->release_slot("jobs"));  // one too many never creates extra slots
  EXPECT_TRUE(*limiter_->acquire_slot("jobs", 2));
  EXPECT_TRUE(*limiter_->acquire_slot("jobs", 2));
  EXPECT_FALSE(*limiter_->acquire_slot("jobs", 2));
}

INSTANTIATE_TEST_SUITE_P(Adapters, RateLimiterContract, ::testing::Values("local", "redis"),
                         [](const auto& info) { return info.param; });

TEST(LocalRateLimiter, RefillsWithTheInjectedClock) {
  double now = 0;
  auto limiter = make_local_rate_limiter([&] { return now; });
  BucketSpec spec = per_minute(60);
  for (int i = 0; i < 60; ++i) ASSERT_TRUE(limiter->take("k", spec, 1)->allowed);
  auto d = limiter->take("k", spec, 1);
  EXPECT_FALSE(d->allowed);
  EXPECT_NEAR(d->retry_after_s, 1.0, 1e-9);
  now = 1.0;
  EXPECT_TRUE(limiter->take("k", spec, 1)->allowed);
  EXPECT_FALSE(limiter->take("k", spec, 1)->allowed);
}

TEST(RedisRateLimiter, UnreachableServerIsAnError) {
  auto c = RedisClient::connect("redis://127.0.0.1:" + std::to_string(redis_testing::free_loopback_port()));
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, ErrorCode::kUnavailable);
}

TEST(RedisUrl, Parsing) {
  auto a = parse_redis_url("redis://localhost");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->host, "localhost");
  EXPECT_EQ(a->port, 6379);
  EXPECT_EQ(a->db, 0);
  auto b = parse_redis_url("redis://:s3cret@10.0.0.5:6380/2");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->host, "10.0.0.5");
  EXPECT_EQ(b->port, 6380);
  EXPECT_EQ(b->password, "s3cret");
  EXPECT_EQ(b->db, 2);
  EXPECT_EQ(parse_redis_url("redis://user:pw@h/")->password, "pw");
  EXPECT_FALSE(parse_redis_url("http://localhost"));
  EXPECT_FALSE(parse_redis_url("redis://h:notaport"));
  EXPECT_FALSE(parse_redis_url("redis://h:70000"));
  EXPECT_FALSE(parse_redis_url("redis://h/x"));
}

}  // namespace
