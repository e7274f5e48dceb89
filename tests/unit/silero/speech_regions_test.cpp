// get_speech_timestamps-style post-processing on hand-made probability sequences.
#include <gtest/gtest.h>

#include "vox/vad/silero_vad.h"

namespace vox {
namespace {

constexpr double kWin = 512.0 / 16000.0;  // 32 ms

// `pattern`: one character per window, '#' = 0.9, '-' = 0.4 (between the thresholds), '.' = 0.05.
std::vector<float> probs(const std::string& pattern) {
  std::vector<float> p;
  for (char c : pattern) p.push_back(c == '#' ? 0.9f : c == '-' ? 0.4f : 0.05f);
  return p;
}

VadOptions opts(int silence_ms, int pad_ms, int min_speech_ms) {
  VadOptions o;
  o.silence_duration_ms = silence_ms;
  o.prefix_padding_ms = pad_ms;
  o.min_speech_ms = min_speech_ms;
  return o;
}

TEST(SpeechRegions, OneRegionWithExactBoundaries) {
  auto p = probs("..........##########..........");
  auto r = speech_regions_from_probabilities(p, p.size() * 512, opts(100, 0, 0));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_NEAR(r[0].start, 10 * kWin, 1e-9);
  EXPECT_NEAR(r[0].end, 20 * kWin, 1e-9);
}

TEST(SpeechRegions, ShortPausesBridgedLongOnesSplit) {
  // 2-window pause (64 ms) < 100 ms: bridged; 6-window pause (192 ms) > 100 ms: split
  auto p = probs("....#####..#####......#####....");
  auto r = speech_regions_from_probabilities(p, p.size() * 512, opts(100, 0, 0));
  ASSERT_EQ(r.size(), 2u);
  EXPECT_NEAR(r[0].start, 4 * kWin, 1e-9);
  EXPECT_NEAR(r[0].end, 16 * kWin, 1e-9);
  EXPECT_NEAR(r[1].start, 22 * kWin, 1e-9);
}

TEST(SpeechRegions, HysteresisKeepsRegionOpenBetweenThresholds) {
  // 0.4 is below 0.5 but above 0.5 - 0.15: the region does not end there
  auto p = probs("...####------------####.......");
  auto r = speech_regions_from_probabilities(p, p.size() * 512, opts(100, 0, 0));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_NEAR(r[0].end, 23 * kWin, 1e-9);
}

TEST(SpeechRegions, BlipsDroppedAndPaddingApplied) {
  auto p = probs("..........##....................############...........");
  auto r = speech_regions_from_probabilities(p, p.size() * 512, opts(100, 64, 150));
  ASSERT_EQ(r.size(), 1u);  // the 64 ms blip is shorter than 150 ms
  EXPECT_NEAR(r[0].start, 32 * kWin - 0.064, 1e-9);
  EXPECT_NEAR(r[0].end, 44 * kWin + 0.064, 1e-9);
}

TEST(SpeechRegions, CloseRegionsShareTheGapAndEndsClamp) {
  auto p = probs("##.......##");  // gap of 7 windows = 224 ms < 2 x 300 ms padding
  auto r = speech_regions_from_probabilities(p, p.size() * 512, opts(100, 300, 0));
  ASSERT_EQ(r.size(), 2u);
  EXPECT_DOUBLE_EQ(r[0].start, 0.0);
  EXPECT_NEAR(r[0].end, r[1].start, 1.0 / 16000);
  EXPECT_NEAR(r[1].end, 11 * kWin, 1e-9);  // open at the end: closes at the last sample
}

TEST(SpeechRegions, EmptyInput) {
  EXPECT_TRUE(speech_regions_from_probabilities({}, 0, VadOptions{}).empty());
}

}  // namespace
}  // namespace vox
