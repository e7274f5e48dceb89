#include <gtest/gtest.h>

#include <map>

#include "vox/jobs/jobs_config.h"

namespace vox::jobs {
namespace {

TEST(JobsConfig, DefaultsAreInProcessWithTwoLocalWorkers) {
  JobsConfig c;
  EXPECT_FALSE(c.shared());
  EXPECT_EQ(c.effective_local_workers(), 2);
  EXPECT_DOUBLE_EQ(c.ttl_s, 86400.0);
  c.queue_url = "redis://127.0.0.1:6379";
  EXPECT_EQ(c.effective_local_workers(), 0);  // a queue: workers run the engines
  c.local_workers = 3;
  EXPECT_EQ(c.effective_local_workers(), 3);
}

TEST(JobsConfig, FlagsWinOverEnvironmentAndUnknownOnesPassThrough) {
  JobsConfig c;
  std::map<std::string, std::string> env = {{"VOX_QUEUE", "redis://env:1"}, {"VOX_JOB_TTL", "2h"}};
  ASSERT_TRUE(apply_jobs_environment(c, [&](const char* n) { return env.count(n) ? env[n].c_str() : nullptr; }));
  EXPECT_EQ(c.queue_url, "redis://env:1");
  EXPECT_DOUBLE_EQ(c.ttl_s, 7200.0);
  std::vector<std::string> rest;
  ASSERT_TRUE(apply_jobs_flags(c, {"--queue", "redis://flag:2", "--port", "9", "--job-lease=5s", "--local-workers", "1",
                                   "--job-dir", "/shared/jobs", "--job-max-redis-audio", "1MiB"},
                               rest));
  EXPECT_EQ(c.queue_url, "redis://flag:2");
  EXPECT_DOUBLE_EQ(c.lease_s, 5.0);
  EXPECT_EQ(c.local_workers, 1);
  EXPECT_EQ(c.job_dir, "/shared/jobs");
  EXPECT_EQ(c.max_redis_audio, 1u << 20);
  EXPECT_EQ(rest, (std::vector<std::string>{"--port", "9"}));
}

TEST(JobsConfig, BadValuesAreRejected) {
  JobsConfig c;
  std::vector<std::string> rest;
  EXPECT_FALSE(apply_jobs_flags(c, {"--queue", "http://x"}, rest));
  EXPECT_FALSE(apply_jobs_flags(c, {"--job-ttl", "soon"}, rest));
  EXPECT_FALSE(apply_jobs_flags(c, {"--local-workers", "-1"}, rest));
  EXPECT_FALSE(apply_jobs_flags(c, {"--job-lease"}, rest));
  EXPECT_NE(jobs_options_help().find("VOX_QUEUE"), std::string::npos);
}

}  // namespace
}  // namespace vox::jobs
