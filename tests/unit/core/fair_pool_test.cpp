// The pool's scheduler: groups take turns, priorities order them, caps hold, everything runs.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <string>
#include <vector>

#include "vox/core/thread_pool.h"

namespace vox {
namespace {

// One worker, held busy until released, so the order of what was queued meanwhile is visible.
struct Recorder {
  std::mutex mu;
  std::vector<std::string> order;
  void add(std::string s) {
    std::lock_guard<std::mutex> lock(mu);
    order.push_back(std::move(s));
  }
};

TEST(FairPool, AShortRequestDoesNotWaitBehindALongOnesWholeQueue) {
  ThreadPool pool(1);
  Recorder rec;
  std::promise<void> gate;
  auto opened = gate.get_future().share();
  auto blocker = pool.submit([&] { opened.wait(); });
  auto long_request = pool.group(Priority::kInteractive);
  auto short_request = pool.group(Priority::kInteractive);
  std::vector<std::future<void>> done;
  for (int i = 0; i < 6; ++i) done.push_back(long_request.submit([&, i] { rec.add("L" + std::to_string(i)); }));
  for (int i = 0; i < 2; ++i) done.push_back(short_request.submit([&, i] { rec.add("S" + std::to_string(i)); }));
  gate.set_value();
  for (auto& f : done) f.get();
  // A FIFO pool would run L0..L5 first; turns put the short request's chunks right after L0, L1.
  EXPECT_EQ(rec.order, (std::vector<std::string>{"L0", "S0", "L1", "S1", "L2", "L3", "L4", "L5"}));
}

TEST(FairPool, PrioritiesGoFirstAndTasksOfAGroupKeepTheirOrder) {
  ThreadPool pool(1);
  Recorder rec;
  std::promise<void> gate;
  auto opened = gate.get_future().share();
  auto blocker = pool.submit([&] { opened.wait(); });
  auto batch = pool.group(Priority::kBatch);
  auto interactive = pool.group(Priority::kInteractive);
  auto live = pool.group(Priority::kLive);
  std::vector<std::future<void>> done;
  done.push_back(batch.submit([&] { rec.add("B0"); }));
  done.push_back(batch.submit([&] { rec.add("B1"); }));
  done.push_back(interactive.submit([&] { rec.add("I0"); }));
  done.push_back(live.submit([&] { rec.add("V0"); }));
  done.push_back(interactive.submit([&] { rec.add("I1"); }));
  gate.set_value();
  for (auto& f : done) f.get();
  EXPECT_EQ(rec.order, (std::vector<std::string>{"V0", "I0", "I1", "B0", "B1"}));
}

TEST(FairPool, AGroupCapLeavesWorkersForOthers) {
  ThreadPool pool(4);
  auto capped = pool.group(Priority::kInteractive, 1);
  std::atomic<int> running{0}, most{0};
  std::vector<std::future<void>> done;
  for (int i = 0; i < 8; ++i)
    done.push_back(capped.submit([&] {
      int now = ++running;
      int seen = most.load();
      while (now > seen && !most.compare_exchange_weak(seen, now)) {
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      --running;
    }));
  // Meanwhile another group still gets the free workers.
  auto other = pool.group(Priority::kInteractive);
  auto quick = other.submit([] { return 42; });
  EXPECT_EQ(quick.wait_for(std::chrono::seconds(2)), std::future_status::ready);
  EXPECT_EQ(quick.get(), 42);
  for (auto& f : done) f.get();
  EXPECT_EQ(most.load(), 1);
}

TEST(FairPool, EverythingSubmittedRunsBeforeThePoolIsGone) {
  std::atomic<int> ran{0};
  {
    ThreadPool pool(2);
    auto g = pool.group(Priority::kBatch, 1);
    for (int i = 0; i < 50; ++i) (void)g.submit([&] { ++ran; });
    for (int i = 0; i < 50; ++i) (void)pool.submit([&] { ++ran; });
  }
  EXPECT_EQ(ran.load(), 100);
}

}  // namespace
}  // namespace vox
