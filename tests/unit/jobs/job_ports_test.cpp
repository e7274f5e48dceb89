// The JobQueue / JobStore / AudioStash contract, one table of cases run on both adapters.
#include <atomic>
#include <fstream>
#include <set>
#include <thread>
#include <vector>

#include "jobs_test_backends.h"

namespace vox::jobs::testing {
namespace {

class QueueContract : public Adapters {};
class StoreContract : public Adapters {};
class StashContract : public Adapters {};

// ---- queue ----

TEST_P(QueueContract, DeliversInOrderAndTimesOutWhenEmpty) {
  auto& q = *backends_.queue;
  for (const char* id : {"j1", "j2", "j3"}) ASSERT_TRUE(q.push(id));
  for (const char* id : {"j1", "j2", "j3"}) {
    auto c = q.pop("w1", 100ms);
    ASSERT_TRUE(c) << c.error().message;
    ASSERT_TRUE(c->has_value());
    EXPECT_EQ((*c)->job_id, id);
    ASSERT_TRUE(q.ack(**c));
  }
  auto t0 = std::chrono::steady_clock::now();
  auto none = q.pop("w1", 100ms);
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 1s);
}

TEST_P(QueueContract, WaitingPopWakesOnPush) {
  auto& q = *backends_.queue;
  std::thread pusher([&] {
    std::this_thread::sleep_for(100ms);
    (void)q.push("late");
  });
  auto c = q.pop("w1", 1000ms);
  pusher.join();
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->has_value());
  EXPECT_EQ((*c)->job_id, "late");
}

TEST_P(QueueContract, ExpiredLeaseGoesToAnotherWorker) {
  auto& q = *backends_.queue;
  ASSERT_TRUE(q.push("j1"));
  auto first = q.pop("dead", 100ms);
  ASSERT_TRUE(first && first->has_value());
  auto early = q.pop("alive", 50ms);  // within the lease: nothing to take
  ASSERT_TRUE(early);
  EXPECT_FALSE(early->has_value());
  std::this_thread::sleep_for(kLease + 150ms);
  auto second = q.pop("alive", 100ms);
  ASSERT_TRUE(second && second->has_value());
  EXPECT_EQ((*second)->job_id, "j1");
  auto renewed = q.renew(**first, "dead");  // the dead worker comes back: the job is not its any more
  ASSERT_TRUE(renewed);
  EXPECT_FALSE(*renewed);
  auto mine = q.renew(**second, "alive");
  ASSERT_TRUE(mine);
  EXPECT_TRUE(*mine);
}

TEST_P(QueueContract, RenewedLeaseIsKept) {
  auto& q = *backends_.queue;
  ASSERT_TRUE(q.push("j1"));
  auto c = q.pop("w1", 100ms);
  ASSERT_TRUE(c && c->has_value());
  for (int i = 0; i < 4; ++i) {  // 4 x 100 ms > one lease, renewed all along
    std::this_thread::sleep_for(kLease / 3);
    auto ok = q.renew(**c, "w1");
    ASSERT_TRUE(ok);
    EXPECT_TRUE(*ok);
  }
  auto other = q.pop("w2", 50ms);
  ASSERT_TRUE(other);
  EXPECT_FALSE(other->has_value());
}

TEST_P(QueueContract, AckedJobNeverComesBack) {
  auto& q = *backends_.queue;
  ASSERT_TRUE(q.push("j1"));
  auto c = q.pop("w1", 100ms);
  ASSERT_TRUE(c && c->has_value());
  ASSERT_TRUE(q.ack(**c));
  std::this_thread::sleep_for(kLease + 100ms);
  auto again = q.pop("w2", 50ms);
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->has_value());
}

TEST_P(QueueContract, HandBackGoesToTheNextWorkerAtOnce) {
  auto& q = *backends_.queue;
  ASSERT_TRUE(q.push("j1"));
  auto c = q.pop("leaving", 100ms);
  ASSERT_TRUE(c && c->has_value());
  ASSERT_TRUE(q.hand_back(**c));
  auto next = q.pop("staying", 100ms);
  ASSERT_TRUE(next && next->has_value());
  EXPECT_EQ((*next)->job_id, "j1");
}

TEST_P(QueueContract, CountsWaitingAndClaimed) {
  auto& q = *backends_.queue;
  for (const char* id : {"a", "b", "c"}) ASSERT_TRUE(q.push(id));
  auto c = q.pop("w1", 100ms);
  ASSERT_TRUE(c && c->has_value());
  auto n = q.counts();
  ASSERT_TRUE(n);
  EXPECT_EQ(n->waiting, 2);
  EXPECT_EQ(n->claimed, 1);
  ASSERT_TRUE(q.ack(**c));
  n = q.counts();
  ASSERT_TRUE(n);
  EXPECT_EQ(n->claimed, 0);
}

TEST_P(QueueContract, EachJobGoesToExactlyOneOfManyWorkers) {
  auto& q = *backends_.queue;
  const int kJobs = 20;
  for (int i = 0; i < kJobs; ++i) ASSERT_TRUE(q.push(std::string("j") + std::to_string(i)));
  std::mutex mu;
  std::multiset<std::string> seen;
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&, w] {
      while (true) {
        auto c = q.pop(std::string("w") + std::to_string(w), 100ms);
        if (!c || !c->has_value()) return;
        {
          std::lock_guard lock(mu);
          seen.insert((*c)->job_id);
        }
        (void)q.ack(**c);
      }
    });
  }
  for (auto& t : workers) t.join();
  EXPECT_EQ(seen.size(), size_t(kJobs));
  for (const auto& id : seen) EXPECT_EQ(seen.count(id), 1u) << id;
}

// ---- store ----

TEST_P(StoreContract, CreateThenGetRoundTrips) {
  auto& s = *backends_.store;
  JobRecord j = record("job_1");
  ASSERT_TRUE(s.create(j));
  auto got = s.get("job_1");
  ASSERT_TRUE(got);
  ASSERT_TRUE(got->has_value());
  const JobRecord& r = **got;
  EXPECT_EQ(r.owner, "key_a");
  EXPECT_EQ(r.state, JobState::kQueued);
  EXPECT_EQ(r.format, "srt");
  EXPECT_EQ(r.fields, j.fields);
  EXPECT_EQ(r.audio, j.audio);
  EXPECT_NEAR(r.created_at, j.created_at, 1e-3);
  EXPECT_EQ(r.started_at, 0.0);
  auto missing = s.get("job_none");
  ASSERT_TRUE(missing);
  EXPECT_FALSE(missing->has_value());
}

TEST_P(StoreContract, RunningKeepsTheFirstStartAndCountsAttempts) {
  auto& s = *backends_.store;
  ASSERT_TRUE(s.create(record("job_1")));
  auto a1 = s.mark_running("job_1", "w1", 1000.0);
  ASSERT_TRUE(a1);
  EXPECT_EQ(*a1, 1);
  ASSERT_TRUE(s.set_progress("job_1", "asr", 0.5));
  auto got = s.get("job_1");
  ASSERT_TRUE(got && got->has_value());
  EXPECT_EQ((*got)->state, JobState::kRunning);
  EXPECT_EQ((*got)->stage, "asr");
  EXPECT_DOUBLE_EQ((*got)->progress, 0.5);
  EXPECT_EQ((*got)->worker, "w1");
  auto a2 = s.mark_running("job_1", "w2", 2000.0);  // a second worker after the first died
  ASSERT_TRUE(a2);
  EXPECT_EQ(*a2, 2);
  got = s.get("job_1");
  ASSERT_TRUE(got && got->has_value());
  EXPECT_DOUBLE_EQ((*got)->started_at, 1000.0);
  EXPECT_EQ((*got)->worker, "w2");
  EXPECT_DOUBLE_EQ((*got)->progress, 0.0);
  EXPECT_FALSE(s.mark_running("job_none", "w1", 1.0));
}

TEST_P(StoreContract, OutcomeIsWrittenOnceUnderARace) {
  auto& s = *backends_.store;
  ASSERT_TRUE(s.create(record("job_1")));
  std::atomic<int> winners{0};
  std::vector<std::thread> racers;
  for (int i = 0; i < 8; ++i) {
    racers.emplace_back([&, i] {
      auto w = s.finish("job_1", JobOutcome{JobState::kSucceeded, "result " + std::to_string(i), {}, 5.0});
      if (w && *w) ++winners;
    });
  }
  for (auto& t : racers) t.join();
  EXPECT_EQ(winners.load(), 1);
  auto got = s.get("job_1");
  ASSERT_TRUE(got && got->has_value());
  EXPECT_EQ((*got)->state, JobState::kSucceeded);
  EXPECT_EQ((*got)->result.rfind("result ", 0), 0u);
  EXPECT_DOUBLE_EQ((*got)->progress, 1.0);
  auto late = s.finish("job_1", JobOutcome{JobState::kFailed, {}, Error(ErrorCode::kInternal, "late"), 6.0});
  ASSERT_TRUE(late);
  EXPECT_FALSE(*late);
  got = s.get("job_1");
  ASSERT_TRUE(got && got->has_value());
  EXPECT_EQ((*got)->state, JobState::kSucceeded);
}

TEST_P(StoreContract, FailureKeepsItsError) {
  auto& s = *backends_.store;
  ASSERT_TRUE(s.create(record("job_1")));
  ASSERT_TRUE(s.finish("job_1", JobOutcome{JobState::kFailed, {}, Error(ErrorCode::kInvalidAudio, "not audio", "file"), 7.0}));
  auto got = s.get("job_1");
  ASSERT_TRUE(got && got->has_value());
  EXPECT_EQ((*got)->state, JobState::kFailed);
  EXPECT_EQ((*got)->error.code, ErrorCode::kInvalidAudio);
  EXPECT_EQ((*got)->error.message, "not audio");
  EXPECT_EQ((*got)->error.param, "file");
  EXPECT_DOUBLE_EQ((*got)->finished_at, 7.0);
}

TEST_P(StoreContract, CancelFlagAndRequeue) {
  auto& s = *backends_.store;
  ASSERT_TRUE(s.create(record("job_1")));
  ASSERT_TRUE(s.mark_running("job_1", "w1", 1.0));
  ASSERT_TRUE(s.request_cancel("job_1"));
  ASSERT_TRUE(s.mark_queued("job_1"));
  auto got = s.get("job_1");
  ASSERT_TRUE(got && got->has_value());
  EXPECT_TRUE((*got)->cancel_requested);
  EXPECT_EQ((*got)->state, JobState::kQueued);
}

TEST_P(StoreContract, ShouldStopOnCancelOutcomeOrMissingJob) {
  auto& s = *backends_.store;
  ASSERT_TRUE(s.create(record("job_1")));
  ASSERT_TRUE(s.create(record("job_2")));
  ASSERT_TRUE(s.mark_running("job_1", "w1", 1.0));
  auto running = s.should_stop("job_1");
  ASSERT_TRUE(running);
  EXPECT_FALSE(*running);
  ASSERT_TRUE(s.request_cancel("job_1"));
  EXPECT_TRUE(*s.should_stop("job_1"));
  ASSERT_TRUE(s.finish("job_2", JobOutcome{JobState::kSucceeded, "r", {}, 2.0}));
  EXPECT_TRUE(*s.should_stop("job_2"));
  EXPECT_TRUE(*s.should_stop("job_none"));
}

TEST_P(StoreContract, FinishedJobsExpireAfterTheTtl) {
  auto& s = *backends_.store;
  ASSERT_TRUE(s.create(record("job_1")));
  ASSERT_TRUE(s.finish("job_1", JobOutcome{JobState::kCancelled, {}, {}, unix_now()}));
  auto soon = s.get("job_1");
  ASSERT_TRUE(soon && soon->has_value());
  std::this_thread::sleep_for(std::chrono::milliseconds(int(kTtl * 1000) + 300));
  auto later = s.get("job_1");
  ASSERT_TRUE(later);
  EXPECT_FALSE(later->has_value());
}

// ---- audio ----

TEST_P(StashContract, PutFetchRemove) {
  auto& a = *backends_.audio;
  std::string bytes("RIFF\0\0\0\0WAVEdata", 16);
  auto ref = a.put("job_1", bytes);
  ASSERT_TRUE(ref) << ref.error().message;
  auto blob = a.fetch(*ref);
  ASSERT_TRUE(blob) << blob.error().message;
  if (blob->path.empty()) {
    EXPECT_EQ(blob->bytes, bytes);
  } else {
    std::ifstream in(blob->path, std::ios::binary);
    std::string read((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(read, bytes);
  }
  a.remove(*ref);
  EXPECT_FALSE(a.fetch(*ref));
}

TEST_P(StashContract, RedisRefusesOversizedUploads) {
  if (GetParam() != "redis") GTEST_SKIP() << "a directory has no size cap";
  std::string big((1 << 20) + 1, 'x');
  auto ref = backends_.audio->put("job_big", big);
  ASSERT_FALSE(ref);
  EXPECT_EQ(ref.error().code, ErrorCode::kTooLarge);
  EXPECT_NE(ref.error().message.find("--job-dir"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Jobs, QueueContract, ::testing::Values("memory", "redis"), AdapterName);
INSTANTIATE_TEST_SUITE_P(Jobs, StoreContract, ::testing::Values("memory", "redis"), AdapterName);
INSTANTIATE_TEST_SUITE_P(Jobs, StashContract, ::testing::Values("memory", "redis"), AdapterName);

}  // namespace
}  // namespace vox::jobs::testing
