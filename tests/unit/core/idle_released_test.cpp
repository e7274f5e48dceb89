// IdleReleased: a model is freed only when nobody holds it and it has gone unused for the TTL,
// and the next acquire() loads it again. Time is passed in, so nothing here sleeps.
#include <gtest/gtest.h>

#include <atomic>

#include "vox/core/idle_released.h"

namespace vox {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

struct Model {
  int generation;
};

struct Counting {
  std::shared_ptr<std::atomic<int>> loads = std::make_shared<std::atomic<int>>(0);
  bool fail = false;
  IdleReleased<Model>::Loader loader() {
    return [loads = loads, this]() -> Result<std::unique_ptr<Model>> {
      if (fail) return Error(ErrorCode::kModelNotFound, "gone");
      return std::make_unique<Model>(Model{++*loads});
    };
  }
};

TEST(IdleReleased, KeepsAModelInUseAndFreesAnIdleOne) {
  Counting c;
  IdleReleased<Model> kept(c.loader(), std::make_unique<Model>(Model{0}), 1h);
  auto held = kept.acquire();
  ASSERT_TRUE(held.ok());
  EXPECT_EQ((*held)->generation, 0);
  EXPECT_FALSE(kept.release_if_idle(Clock::now() + 2h)) << "a caller still holds it";
  held = Result<std::shared_ptr<Model>>(Error(ErrorCode::kInternal, "let go"));
  EXPECT_FALSE(kept.release_if_idle(Clock::now() + 30min)) << "not idle for the TTL yet";
  EXPECT_TRUE(kept.loaded());
  EXPECT_TRUE(kept.release_if_idle(Clock::now() + 5h));
  EXPECT_FALSE(kept.loaded());
  auto again = kept.acquire();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->generation, 1);
  EXPECT_EQ(kept.reloads(), 1);
}

TEST(IdleReleased, ZeroTtlNeverReleases) {
  Counting c;
  IdleReleased<Model> kept(c.loader(), std::make_unique<Model>(Model{0}), 0s);
  EXPECT_FALSE(kept.release_if_idle(Clock::now() + 24h));
  EXPECT_TRUE(kept.loaded());
}

TEST(IdleReleased, AFailedReloadIsAnErrorAndTheNextTryLoads) {
  Counting c;
  IdleReleased<Model> kept(c.loader(), std::make_unique<Model>(Model{0}), 1h);
  ASSERT_TRUE(kept.release_if_idle(Clock::now() + 2h));
  c.fail = true;
  auto r = kept.acquire();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kModelNotFound);
  c.fail = false;
  auto ok = kept.acquire();
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ((*ok)->generation, 1);
}

TEST(IdleReleased, TheReaperThreadFreesAfterTheTtl) {
  Counting c;
  IdleReleased<Model> kept(c.loader(), std::make_unique<Model>(Model{0}), 20ms);
  // Bounded wait for the background release (the TTL is 20 ms; allow a loaded CI machine 10 s).
  const auto give_up = Clock::now() + 10s;
  while (kept.loaded() && Clock::now() < give_up) std::this_thread::sleep_for(5ms);
  EXPECT_FALSE(kept.loaded());
  auto r = kept.acquire();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)->generation, 1);
}

}  // namespace
}  // namespace vox
