#include <gtest/gtest.h>

#include <thread>

#include "vox/core/admission.h"
#include "vox/core/thread_pool.h"
#include "vox/pipeline/transcriber.h"

namespace vox {
namespace {

TEST(Admission, BusyWhenQueueFull) {
  Admission a(1, 0);
  CancelToken cancel;
  auto first = a.enter(cancel);
  ASSERT_TRUE(first.ok());
  auto second = a.enter(cancel);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, ErrorCode::kBusy);
  EXPECT_GT(second.error().retry_after_s, 0);
}

TEST(Admission, WaiterGetsSlotWhenReleased) {
  Admission a(1, 1);
  CancelToken cancel;
  std::optional<Admission::Ticket> held;
  held.emplace(std::move(a.enter(cancel).value()));
  std::thread release([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    held.reset();
  });
  auto waited = a.enter(cancel);
  release.join();
  EXPECT_TRUE(waited.ok());
  EXPECT_EQ(a.running(), 1);
}

TEST(Admission, CancelWhileWaiting) {
  Admission a(1, 1);
  CancelToken cancel;
  auto held = a.enter(cancel);
  CancelToken waiter;
  waiter.cancel();
  auto r = a.enter(waiter);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kCancelled);
  EXPECT_EQ(a.waiting(), 0);
}

TEST(ThreadPool, RunsAllTasks) {
  ThreadPool pool(3);
  std::vector<std::future<int>> f;
  for (int i = 0; i < 50; ++i) f.push_back(pool.submit([i] { return i * i; }));
  int sum = 0;
  for (auto& x : f) sum += x.get();
  EXPECT_EQ(sum, 40425);
}

TEST(StageProgress, MonotonicAcrossParallelStages) {
  std::vector<double> seen;
  StageProgress p([&](std::string_view, double v) { seen.push_back(v); });
  p("decode", 0.5);
  p("decode", 1.0);
  p("vad", 1.0);
  p("asr", 0.5);
  p("diarize", 0.2);  // behind asr: not reported
  p("asr", 1.0);
  p("merge", 1.0);
  ASSERT_FALSE(seen.empty());
  for (size_t i = 1; i < seen.size(); ++i) EXPECT_GE(seen[i], seen[i - 1]);
  EXPECT_DOUBLE_EQ(seen.back(), 1.0);
  EXPECT_NEAR(seen[0], 0.05, 1e-9);
}

TEST(CancelToken, ProbeCancels) {
  CancelToken t;
  bool gone = false;
  t.set_probe([&] { return gone; });
  EXPECT_FALSE(t.cancelled());
  gone = true;
  EXPECT_TRUE(t.cancelled());
  CancelToken copy = t;
  copy.cancel();
  EXPECT_TRUE(t.cancelled());
}

}  // namespace
}  // namespace vox
