// The worker pool and the JobSystem facade over both adapters, with a fake executor (no engines):
// progress, cancel, failures, dead workers, hand-back on shutdown, and owner isolation.
#include <atomic>

#include "jobs_test_backends.h"

namespace vox::jobs::testing {
namespace {

class WorkerPool : public Adapters {
 protected:
  // Reports progress through three stages, `steps` x 20 ms, stopping early when cancelled.
  static JobExecutor fake(std::atomic<int>* runs, int steps = 5, bool fail = false) {
    return [=](const JobRecord& job, const AudioBlob& audio, const JobProgressFn& progress,
               const CancelToken& cancel) -> Result<JobResult> {
      if (runs) ++*runs;
      for (int i = 0; i < steps; ++i) {
        if (cancel.cancelled()) return Error(ErrorCode::kCancelled, "cancelled");
        progress(i < steps / 2 ? "decode" : "asr", double(i + 1) / (steps + 1));
        std::this_thread::sleep_for(20ms);
      }
      if (fail) return Error(ErrorCode::kInvalidAudio, "not audio");
      return JobResult{"{\"audio\":" + std::to_string(audio.bytes.size() + audio.path.size()) + "}", "fake", 1.5};
    };
  }

  WorkerOptions options(int slots = 1) {
    WorkerOptions o;
    o.concurrency = slots;
    o.lease = std::chrono::duration_cast<std::chrono::milliseconds>(kLease);
    o.on_finished = [this](const JobRecord&, const JobOutcome& out, const JobResult*, double) {
      std::lock_guard lock(mu_);
      finished_.push_back(out.state);
    };
    return o;
  }

  Result<JobRecord> submit(JobSystem& jobs, const std::string& owner = "key_a") {
    return jobs.submit(Submission{owner, {{"response_format", "json"}}, "json", "audio bytes"});
  }

  JobRecord wait_done(JobSystem& jobs, const std::string& id, const std::string& owner = "key_a") {
    auto r = jobs.wait(owner, id, CancelToken());
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return r ? *r : JobRecord();
  }

  std::mutex mu_;
  std::vector<JobState> finished_;
};

TEST_P(WorkerPool, RunsAJobToSuccessWithProgressInOrder) {
  JobSystem jobs(config(), backends_);
  jobs.start_workers(fake(nullptr), options());
  auto job = submit(jobs);
  ASSERT_TRUE(job) << job.error().message;
  EXPECT_EQ(job->state, JobState::kQueued);
  std::vector<double> seen;
  auto done = jobs.wait("key_a", job->id, CancelToken(), [&](const JobRecord& j) {
    seen.push_back(j.progress);
    return true;
  });
  ASSERT_TRUE(done);
  EXPECT_EQ(done->state, JobState::kSucceeded);
  EXPECT_EQ(done->result.rfind("{\"audio\":", 0), 0u) << done->result;
  EXPECT_GT(done->started_at, 0);
  EXPECT_GE(done->finished_at, done->started_at);
  for (size_t i = 1; i < seen.size(); ++i) EXPECT_GE(seen[i], seen[i - 1]);
  jobs.stop_workers(true);
  std::lock_guard lock(mu_);
  EXPECT_EQ(finished_, std::vector<JobState>{JobState::kSucceeded});
}

TEST_P(WorkerPool, ExecutorFailureFailsTheJob) {
  JobSystem jobs(config(), backends_);
  jobs.start_workers(fake(nullptr, 2, true), options());
  auto job = submit(jobs);
  ASSERT_TRUE(job);
  auto done = wait_done(jobs, job->id);
  EXPECT_EQ(done.state, JobState::kFailed);
  EXPECT_EQ(done.error.code, ErrorCode::kInvalidAudio);
}

TEST_P(WorkerPool, CancelStopsARunningJob) {
  std::atomic<int> runs{0};
  JobSystem jobs(config(), backends_);
  jobs.start_workers(fake(&runs, 500), options());  // 10 s unless cancelled
  auto job = submit(jobs);
  ASSERT_TRUE(job);
  for (int i = 0; i < 100; ++i) {
    auto j = jobs.get("key_a", job->id);
    if (j && j->state == JobState::kRunning && j->progress > 0) break;
    std::this_thread::sleep_for(20ms);
  }
  auto t0 = std::chrono::steady_clock::now();
  auto cancelled = jobs.cancel("key_a", job->id);
  ASSERT_TRUE(cancelled);
  auto done = wait_done(jobs, job->id);
  EXPECT_EQ(done.state, JobState::kCancelled);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s);
  EXPECT_EQ(runs.load(), 1);
}

TEST_P(WorkerPool, CancelOfAQueuedJobEndsItAtOnce) {
  JobSystem jobs(config(), backends_);  // no workers
  auto job = submit(jobs);
  ASSERT_TRUE(job);
  auto c = jobs.cancel("key_a", job->id, 0ms);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->state, JobState::kCancelled);
  std::atomic<int> runs{0};
  jobs.start_workers(fake(&runs), options());  // a worker that picks it up later skips it
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(runs.load(), 0);
}

TEST_P(WorkerPool, OtherOwnersSeeNothing) {
  JobSystem jobs(config(), backends_);
  auto job = submit(jobs, "key_a");
  ASSERT_TRUE(job);
  auto other = jobs.get("key_b", job->id);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::kNotFound);
  auto cancel = jobs.cancel("key_b", job->id);
  ASSERT_FALSE(cancel);
  EXPECT_EQ(cancel.error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(jobs.get("key_a", job->id));
}

TEST_P(WorkerPool, JobOfADeadWorkerIsRerunOnceByAnother) {
  JobSystem jobs(config(), backends_);
  auto job = submit(jobs);
  ASSERT_TRUE(job);
  // A worker takes the job and dies (never renews, never acks).
  auto dead = backends_.queue->pop("dead", 200ms);
  ASSERT_TRUE(dead && dead->has_value());
  ASSERT_TRUE(backends_.store->mark_running(job->id, "dead", unix_now()));
  std::atomic<int> runs{0};
  JobBackends other = make_backends();  // another process's connections (Redis)
  JobSystem survivor(config(), other);
  survivor.start_workers(fake(&runs), options());
  auto done = wait_done(jobs, job->id);
  EXPECT_EQ(done.state, JobState::kSucceeded);
  EXPECT_EQ(done.attempts, 2);
  EXPECT_EQ(runs.load(), 1);
  survivor.stop_workers(true);
}

TEST_P(WorkerPool, DrainingStopFinishesTheRunningJob) {
  JobSystem jobs(config(), backends_);
  jobs.start_workers(fake(nullptr, 10), options());
  auto job = submit(jobs);
  ASSERT_TRUE(job);
  for (int i = 0; i < 100 && jobs.get("key_a", job->id)->state != JobState::kRunning; ++i) std::this_thread::sleep_for(10ms);
  jobs.stop_workers(true);
  auto j = jobs.get("key_a", job->id);
  ASSERT_TRUE(j);
  EXPECT_EQ(j->state, JobState::kSucceeded);
}

TEST_P(WorkerPool, HandBackStopLetsAnotherWorkerFinish) {
  std::atomic<int> runs{0};
  JobSystem jobs(config(), backends_);
  jobs.start_workers(fake(&runs, 500), options());
  auto job = submit(jobs);
  ASSERT_TRUE(job);
  for (int i = 0; i < 200 && jobs.get("key_a", job->id)->state != JobState::kRunning; ++i) std::this_thread::sleep_for(10ms);
  jobs.stop_workers(false);  // cancelled here, handed back
  auto j = jobs.get("key_a", job->id);
  ASSERT_TRUE(j);
  EXPECT_EQ(j->state, JobState::kQueued);
  JobSystem next(config(), make_backends());
  next.start_workers(fake(&runs, 3), options());
  auto done = wait_done(jobs, job->id);
  EXPECT_EQ(done.state, JobState::kSucceeded);
  EXPECT_EQ(runs.load(), 2);
}

TEST_P(WorkerPool, WaitingClientThatGoesAwayCancelsTheJob) {
  JobSystem jobs(config(), backends_);
  jobs.start_workers(fake(nullptr, 500), options());
  auto job = submit(jobs);
  ASSERT_TRUE(job);
  CancelToken gone;
  std::thread leave([&] {
    std::this_thread::sleep_for(200ms);
    gone.cancel();
  });
  auto r = jobs.wait("key_a", job->id, gone);
  leave.join();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kCancelled);
  auto done = wait_done(jobs, job->id);
  EXPECT_EQ(done.state, JobState::kCancelled);
}

TEST_P(WorkerPool, CountsByState) {
  JobSystem jobs(config(), backends_);
  ASSERT_TRUE(submit(jobs));
  ASSERT_TRUE(submit(jobs));
  bool saw_queued = false;
  for (const auto& [state, n] : jobs.counts())
    if (state == "queued") {
      saw_queued = true;
      EXPECT_EQ(n, 2.0);
    }
  EXPECT_TRUE(saw_queued);
}

TEST_P(WorkerPool, FullQueueAnswersBusy) {
  JobsConfig c = config();
  c.max_queued = 1;
  JobSystem jobs(c, backends_);
  ASSERT_TRUE(submit(jobs));
  auto second = submit(jobs);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::kBusy);
  EXPECT_GT(second.error().retry_after_s, 0);
}

INSTANTIATE_TEST_SUITE_P(Jobs, WorkerPool, ::testing::Values("memory", "redis"), AdapterName);

}  // namespace
}  // namespace vox::jobs::testing
