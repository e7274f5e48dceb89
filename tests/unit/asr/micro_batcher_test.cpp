// MicroBatcher: concurrent callers meet in one batch, each gets its own result back, a full
// batch runs without waiting for the window, and max_batch 1 never waits.
#include <gtest/gtest.h>

#include <mutex>
#include <stdexcept>
#include <thread>

#include "vox/asr/micro_batcher.h"

namespace vox::asr {
namespace {

struct Recorder {
  std::mutex mu;
  std::vector<std::size_t> sizes;
  MicroBatcher<std::size_t>::RunFn fn() {
    return [this](const std::vector<std::span<const float>>& chunks) {
      {
        std::lock_guard<std::mutex> lock(mu);
        sizes.push_back(chunks.size());
      }
      std::vector<Result<std::size_t>> out;
      for (const auto& c : chunks) out.emplace_back(c.size());
      return out;
    };
  }
};

TEST(MicroBatcher, ConcurrentCallersShareOneRunAndGetTheirOwnResults) {
  Recorder rec;
  MicroBatcher<std::size_t> batcher(4, std::chrono::milliseconds(2000), rec.fn());
  std::vector<std::vector<float>> inputs = {std::vector<float>(10), std::vector<float>(20), std::vector<float>(30),
                                            std::vector<float>(40)};
  std::vector<std::size_t> got(4, 0);
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < 4; ++i)
    threads.emplace_back([&, i] {
      auto r = batcher.submit(inputs[i]);
      got[i] = r ? *r : 0;
    });
  for (auto& t : threads) t.join();
  // A full batch runs at once: far sooner than the 2 s window.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1500));
  EXPECT_EQ(got, (std::vector<std::size_t>{10, 20, 30, 40}));
  ASSERT_EQ(rec.sizes.size(), 1u);
  EXPECT_EQ(rec.sizes[0], 4u);
}

TEST(MicroBatcher, ALoneCallerRunsAfterTheWindowAndBatchOfOneNeverWaits) {
  Recorder rec;
  MicroBatcher<std::size_t> windowed(8, std::chrono::milliseconds(20), rec.fn());
  std::vector<float> x(5);
  auto r = windowed.submit(x);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 5u);
  MicroBatcher<std::size_t> single(1, std::chrono::milliseconds(5000), rec.fn());
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(*single.submit(x), 5u);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1000));
}

TEST(MicroBatcher, ErrorsReachEveryCallerOfTheBatch) {
  MicroBatcher<int> batcher(2, std::chrono::milliseconds(2000), [](const std::vector<std::span<const float>>& c) {
    std::vector<Result<int>> out;
    for (std::size_t i = 0; i < c.size(); ++i) out.emplace_back(Error(ErrorCode::kInternal, "model failed"));
    return out;
  });
  std::vector<float> a(3), b(4);
  Result<int> ra = 0, rb = 0;
  std::thread t1([&] { ra = batcher.submit(a); });
  std::thread t2([&] { rb = batcher.submit(b); });
  t1.join();
  t2.join();
  EXPECT_FALSE(ra.ok());
  EXPECT_FALSE(rb.ok());
}

// A leader whose run throws (or returns too few results) must not leave the callers it claimed
// waiting forever: every one of them gets an error.
TEST(MicroBatcher, AFailingRunReachesEveryCallerOfItsBatch) {
  for (bool throws : {true, false}) {
    MicroBatcher<std::size_t> batcher(3, std::chrono::milliseconds(2000),
                                      [throws](const std::vector<std::span<const float>>&) -> std::vector<Result<std::size_t>> {
                                        if (throws) throw std::runtime_error("out of memory");
                                        return {};  // short: no result for anyone
                                      });
    std::vector<float> x(4);
    std::vector<int> failed(3, 0);
    std::vector<std::thread> threads;
    for (int i = 0; i < 3; ++i)
      threads.emplace_back([&, i] {
        auto r = batcher.submit(x);
        failed[i] = !r.ok() && r.error().code == ErrorCode::kInternal;
      });
    for (auto& t : threads) t.join();
    EXPECT_EQ(failed, (std::vector<int>{1, 1, 1})) << (throws ? "throwing run" : "short run");
  }
  MicroBatcher<std::size_t> single(1, std::chrono::milliseconds(0),
                                   [](const std::vector<std::span<const float>>&) -> std::vector<Result<std::size_t>> {
                                     throw std::runtime_error("boom");
                                   });
  std::vector<float> x(4);
  auto r = single.submit(x);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("boom"), std::string::npos);
}

}  // namespace
}  // namespace vox::asr
