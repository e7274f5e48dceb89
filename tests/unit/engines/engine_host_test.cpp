// EngineHost: engines load once, a slow load stalls only requests for that engine, failed loads
// are retried.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "vox/engines/registry.h"

namespace vox {
namespace {

class FakeVad : public VoiceActivityDetector {
 public:
  explicit FakeVad(std::string name) : name_(std::move(name)) {}
  std::string name() const override { return name_; }
  Result<std::vector<SpeechRegion>> detect(std::span<const float>, const VadOptions&, const ProgressFn&,
                                           const CancelToken&) override {
    return std::vector<SpeechRegion>{};
  }

 private:
  std::string name_;
};

struct Registries {
  EngineRegistries r;
  std::atomic<int> slow_made{0}, flaky_calls{0};
  std::promise<void> release_slow;
  std::shared_future<void> slow_may_finish = release_slow.get_future().share();

  Registries() {
    r.vads.add("fast", "", [](const Config&) -> Result<std::unique_ptr<VoiceActivityDetector>> {
      return std::unique_ptr<VoiceActivityDetector>(new FakeVad("fast"));
    });
    r.vads.add("slow", "", [this](const Config&) -> Result<std::unique_ptr<VoiceActivityDetector>> {
      slow_may_finish.wait();  // a model that takes its time to load
      ++slow_made;
      return std::unique_ptr<VoiceActivityDetector>(new FakeVad("slow"));
    });
    r.vads.add("flaky", "", [this](const Config&) -> Result<std::unique_ptr<VoiceActivityDetector>> {
      if (++flaky_calls == 1) return Error(ErrorCode::kUnavailable, "not installed yet");
      return std::unique_ptr<VoiceActivityDetector>(new FakeVad("flaky"));
    });
  }
};

TEST(EngineHost, ASlowLoadStallsOnlyItsOwnEngineAndLoadsOnce) {
  Registries reg;
  EngineHost host(Config{}, reg.r);
  ASSERT_TRUE(host.vad("fast"));
  auto a = std::async(std::launch::async, [&] { return host.vad("slow"); });
  auto b = std::async(std::launch::async, [&] { return host.vad("slow"); });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // both are now waiting on the load
  // Meanwhile an engine that is already loaded answers at once.
  auto fast = std::async(std::launch::async, [&] { return host.vad("fast"); });
  ASSERT_EQ(fast.wait_for(std::chrono::seconds(2)), std::future_status::ready) << "the slow load blocked a lookup";
  EXPECT_EQ((*fast.get())->name(), "fast");
  EXPECT_EQ(a.wait_for(std::chrono::milliseconds(0)), std::future_status::timeout);
  reg.release_slow.set_value();
  auto ra = a.get(), rb = b.get();
  ASSERT_TRUE(ra);
  ASSERT_TRUE(rb);
  EXPECT_EQ(*ra, *rb);
  EXPECT_EQ(reg.slow_made.load(), 1);
}

TEST(EngineHost, AFailedLoadIsTriedAgainAndUnknownNamesAreModelNotFound) {
  Registries reg;
  EngineHost host(Config{}, reg.r);
  auto first = host.vad("flaky");
  ASSERT_FALSE(first);
  EXPECT_EQ(first.error().code, ErrorCode::kUnavailable);
  auto second = host.vad("flaky");
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(host.vad("flaky").value(), *second);
  auto unknown = host.vad("nope");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kModelNotFound);
  EXPECT_NE(unknown.error().message.find("fast"), std::string::npos);  // names what exists
}

}  // namespace
}  // namespace vox
