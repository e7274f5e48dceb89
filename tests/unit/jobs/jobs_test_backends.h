// The adapters under test, built the same way for every case: "memory" (in-process) and "redis"
// (a private redis-server on a free loopback port, a fresh key prefix per test). Every case of
// the table runs against both, so the two adapters keep one contract.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "../service/redis_test_server.h"
#include "vox/jobs/job_system.h"
#include "vox/jobs/memory_jobs.h"
#include "vox/jobs/redis_jobs.h"

namespace vox::jobs::testing {

using namespace std::chrono_literals;

inline std::string temp_dir() {
  static int n = 0;
  auto p = std::filesystem::temp_directory_path() / ("vox-jobs-test-" + std::to_string(getpid()) + "-" + std::to_string(++n));
  std::filesystem::create_directories(p);
  return p.string();
}

class Adapters : public ::testing::TestWithParam<std::string> {
 protected:
  static constexpr auto kLease = 300ms;
  static constexpr double kTtl = 1.0;  // seconds; short so expiry can be tested

  void SetUp() override {
    if (GetParam() == "redis") {
      server_ = service::redis_testing::RedisTestServer::get();
      if (!server_) GTEST_SKIP() << "redis-server is not installed";
    }
    dir_ = temp_dir();
    backends_ = make_backends();
  }
  void TearDown() override {
    std::error_code ec;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  }

  // A second set of adapters over the same data: another process's view of the jobs (Redis), or
  // the same objects (in-process, where there is no other view).
  JobBackends make_backends() {
    if (GetParam() == "memory") {
      if (backends_.queue) return backends_;
      JobBackends b;
      b.queue = make_memory_queue(kLease);
      b.store = make_memory_store(kTtl);
      b.audio = std::make_shared<AudioStash>(dir_, nullptr, "", 0, kTtl);
      return b;
    }
    if (prefix_.empty()) prefix_ = service::redis_testing::unique_prefix();
    JobBackends b;
    auto q = make_redis_queue(server_->url(), prefix_, kLease);
    EXPECT_TRUE(q) << (q ? "" : q.error().message);
    if (q) b.queue = std::move(*q);
    auto client = server_->client();
    b.store = make_redis_store(client, prefix_, kTtl);
    b.audio = std::make_shared<AudioStash>("", client, prefix_, 1 << 20, kTtl);
    return b;
  }

  JobsConfig config() const {
    JobsConfig c;
    c.data_dir = dir_;
    c.lease_s = std::chrono::duration<double>(kLease).count();
    c.ttl_s = kTtl;
    c.prefix = prefix_;
    if (GetParam() == "redis") c.queue_url = server_->url();
    return c;
  }

  JobRecord record(const std::string& id, const std::string& owner = "key_a") {
    JobRecord j;
    j.id = id;
    j.owner = owner;
    j.fields = {{"response_format", "srt"}, {"language", "en"}};
    j.format = "srt";
    j.audio = "file:/nonexistent";
    j.created_at = unix_now();
    return j;
  }

  service::redis_testing::RedisTestServer* server_ = nullptr;
  std::string prefix_;
  std::string dir_;
  JobBackends backends_;
};

inline std::string AdapterName(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

}  // namespace vox::jobs::testing
