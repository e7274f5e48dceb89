// plan_chunks is a pure function: these tests pin down every rule in chunker.h / chunker.cpp.
#include "vox/vad/chunker.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

namespace vox {
namespace {

constexpr int kRate = 16000;
constexpr double kEps = 1e-9;

// A recording of `seconds` of constant-level noise-like signal (every 10 ms frame equally loud).
std::vector<float> loud(double seconds, float level = 0.3f) {
  std::vector<float> s(std::size_t(seconds * kRate));
  for (std::size_t i = 0; i < s.size(); ++i) s[i] = (i % 2 ? level : -level);
  return s;
}

void silence_frame_at(std::vector<float>& s, double t, float level = 0.0f) {
  const std::size_t a = std::size_t(std::lround(t * kRate));
  for (std::size_t i = a; i < a + kRate / 100 && i < s.size(); ++i) s[i] = level;
}

// Invariants every plan must meet.
void expect_valid(const std::vector<ChunkPlan>& plan, double duration, double max_chunk_s) {
  for (std::size_t i = 0; i < plan.size(); ++i) {
    EXPECT_GE(plan[i].start, 0.0);
    EXPECT_LE(plan[i].end, duration + kEps);
    EXPECT_LT(plan[i].start, plan[i].end);
    EXPECT_LE(plan[i].end - plan[i].start, max_chunk_s + kEps) << "chunk " << i;
    if (i > 0) EXPECT_LE(plan[i - 1].end, plan[i].start + kEps) << "chunks " << i - 1 << " and " << i << " overlap";
  }
}

bool covered(const std::vector<ChunkPlan>& plan, double t) {
  for (const auto& c : plan)
    if (t >= c.start - kEps && t <= c.end + kEps) return true;
  return false;
}

TEST(PlanChunks, NoSpeechGivesNoChunks) {
  auto audio = loud(5);
  EXPECT_TRUE(plan_chunks({}, audio, kRate, 30).empty());
}

TEST(PlanChunks, DegenerateInputsGiveNoChunks) {
  auto audio = loud(5);
  EXPECT_TRUE(plan_chunks({{1, 2}}, {}, kRate, 30).empty());
  EXPECT_TRUE(plan_chunks({{1, 2}}, audio, 0, 30).empty());
  EXPECT_TRUE(plan_chunks({{1, 2}}, audio, -16000, 30).empty());
}

TEST(PlanChunks, OneRegionIsPaddedAndClampedToTheRecording) {
  auto audio = loud(10);
  auto plan = plan_chunks({{2.0, 3.0}}, audio, kRate, 30, 0.2);
  ASSERT_EQ(plan.size(), 1u);
  EXPECT_NEAR(plan[0].start, 1.8, kEps);
  EXPECT_NEAR(plan[0].end, 3.2, kEps);

  plan = plan_chunks({{0.05, 9.95}}, audio, kRate, 30, 0.2);
  ASSERT_EQ(plan.size(), 1u);
  EXPECT_NEAR(plan[0].start, 0.0, kEps);
  EXPECT_NEAR(plan[0].end, 10.0, kEps);
}

TEST(PlanChunks, RegionsOutsideTheRecordingAreClampedOrDropped) {
  auto audio = loud(10);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto plan = plan_chunks({{-3, 1}, {9, 14}, {12, 13}, {nan, 5}, {6, 6}, {7, 6.5}}, audio, kRate, 30, 0.0);
  ASSERT_EQ(plan.size(), 1u);  // [0, 1] and [9, 10] fit into one 30 s chunk
  EXPECT_NEAR(plan[0].start, 0.0, kEps);
  EXPECT_NEAR(plan[0].end, 10.0, kEps);
}

TEST(PlanChunks, UnsortedAndOverlappingRegionsAreMerged) {
  auto audio = loud(60);
  auto plan = plan_chunks({{20, 22}, {1, 3}, {2, 4}, {21, 25}}, audio, kRate, 10, 0.0);
  ASSERT_EQ(plan.size(), 2u);
  EXPECT_NEAR(plan[0].start, 1, kEps);
  EXPECT_NEAR(plan[0].end, 4, kEps);
  EXPECT_NEAR(plan[1].start, 20, kEps);
  EXPECT_NEAR(plan[1].end, 25, kEps);
}

TEST(PlanChunks, GroupsRegionsGreedilyAndCutsOnlyInPauses) {
  auto audio = loud(60);
  // Six 3 s regions with 1 s pauses; 10 s chunks (padding included) hold two of them.
  std::vector<SpeechRegion> speech;
  for (int i = 0; i < 6; ++i) speech.push_back({1.0 + 4 * i, 4.0 + 4 * i});
  auto plan = plan_chunks(speech, audio, kRate, 10, 0.2);
  expect_valid(plan, 60, 10);
  ASSERT_EQ(plan.size(), 3u);
  for (int k = 0; k < 3; ++k) {
    EXPECT_NEAR(plan[k].start, speech[2 * k].start - 0.2, kEps);
    EXPECT_NEAR(plan[k].end, speech[2 * k + 1].end + 0.2, kEps);
  }
  // Every boundary lies in a pause: no region is split.
  for (const auto& r : speech) {
    int holders = 0;
    for (const auto& c : plan) holders += (c.start <= r.start && r.end <= c.end);
    EXPECT_EQ(holders, 1);
  }
}

TEST(PlanChunks, PaddingNeverMakesChunksOverlap) {
  auto audio = loud(30);
  // A 0.1 s pause between regions that cannot share a chunk: each side gets half of it.
  auto plan = plan_chunks({{1, 8}, {8.1, 15}}, audio, kRate, 10, 0.5);
  ASSERT_EQ(plan.size(), 2u);
  expect_valid(plan, 30, 10);
  EXPECT_NEAR(plan[0].end, 8.05, kEps);
  EXPECT_NEAR(plan[1].start, 8.05, kEps);
  EXPECT_NEAR(plan[0].start, 0.5, kEps);
  EXPECT_NEAR(plan[1].end, 15.5, kEps);
}

TEST(PlanChunks, LongRegionIsCutAtItsQuietestFrameNearTheLimit) {
  auto audio = loud(40);
  silence_frame_at(audio, 8.30);         // the cut we want: in the second half of the first 10 s
  silence_frame_at(audio, 3.00);         // quieter still, but too far from the limit to be used
  silence_frame_at(audio, 8.90, 0.1f);   // quieter than speech, louder than 8.30
  auto plan = plan_chunks({{1.0, 25.0}}, audio, kRate, 10, 0.0);
  expect_valid(plan, 40, 10);
  ASSERT_GE(plan.size(), 3u);
  EXPECT_NEAR(plan[0].start, 1.0, kEps);
  EXPECT_NEAR(plan[0].end, 8.30, 0.0101);
  // The pieces of one region touch: no gap, no overlap, no padding in between.
  for (std::size_t i = 1; i < plan.size(); ++i) EXPECT_NEAR(plan[i].start, plan[i - 1].end, kEps);
  EXPECT_NEAR(plan.back().end, 25.0, kEps);
}

TEST(PlanChunks, CutPiecesGetNoPaddingInsideButKeepItOutside) {
  auto audio = loud(40);
  auto plan = plan_chunks({{5.0, 18.0}}, audio, kRate, 10, 0.3);
  expect_valid(plan, 40, 10);
  ASSERT_EQ(plan.size(), 2u);
  EXPECT_NEAR(plan[0].start, 4.7, kEps);
  EXPECT_NEAR(plan[0].end, plan[1].start, kEps);
  EXPECT_NEAR(plan[1].end, 18.3, kEps);
  // The cut lies in the second half of the span allowed for speech (10 - 2 x 0.3 s).
  EXPECT_GE(plan[0].end, 5.0 + 9.4 / 2 - 0.01);
  EXPECT_LE(plan[0].end, 5.0 + 9.4 + kEps);
}

TEST(PlanChunks, TheRestOfACutRegionJoinsTheNextRegion) {
  auto audio = loud(40);
  // 12 s region then a short one: the remainder (< 10 s) and the next region share a chunk.
  auto plan = plan_chunks({{0.0, 12.0}, {12.5, 13.5}}, audio, kRate, 10, 0.0);
  expect_valid(plan, 40, 10);
  ASSERT_EQ(plan.size(), 2u);
  EXPECT_NEAR(plan[1].end, 13.5, kEps);
}

TEST(PlanChunks, PaddingShrinksWhenTheLimitIsTiny) {
  auto audio = loud(10);
  auto plan = plan_chunks({{1, 5}}, audio, kRate, 1.0, 0.4);
  expect_valid(plan, 10, 1.0);
  EXPECT_GE(plan.size(), 4u);
  for (double t = 1.0; t <= 5.0; t += 0.01) EXPECT_TRUE(covered(plan, t)) << t;
}

TEST(PlanChunks, NonPositiveLimitMeansNoLimit) {
  auto audio = loud(100);
  for (double limit : {0.0, -1.0, std::numeric_limits<double>::infinity()}) {
    auto plan = plan_chunks({{1, 40}, {50, 90}}, audio, kRate, limit, 0.0);
    ASSERT_EQ(plan.size(), 1u) << limit;
    EXPECT_NEAR(plan[0].start, 1, kEps);
    EXPECT_NEAR(plan[0].end, 90, kEps);
  }
}

TEST(PlanChunks, RandomPlansKeepEveryInvariant) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> len(0.05, 25.0), gap(0.0, 3.0), limit(2.0, 30.0), pad(0.0, 0.5);
  auto audio = loud(400);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<SpeechRegion> speech;
    double t = gap(rng);
    while (true) {
      double e = t + len(rng);
      if (e > 399) break;
      speech.push_back({t, e});
      t = e + gap(rng);
    }
    const double max_chunk = limit(rng), p = pad(rng);
    auto plan = plan_chunks(speech, audio, kRate, max_chunk, p);
    expect_valid(plan, 400, max_chunk);
    for (const auto& r : speech)
      for (double x = r.start; x <= r.end; x += 0.37) ASSERT_TRUE(covered(plan, x)) << "trial " << trial << " t=" << x;
    // A chunk boundary that is not shared with the next chunk lies outside speech (a pause).
    for (std::size_t i = 0; i + 1 < plan.size(); ++i) {
      if (std::abs(plan[i].end - plan[i + 1].start) < kEps) continue;  // a cut inside a long region
      for (const auto& r : speech) EXPECT_FALSE(r.start < plan[i].end - kEps && plan[i].end + kEps < r.end);
    }
  }
}

}  // namespace
}  // namespace vox
