#include <gtest/gtest.h>

#include <cmath>

#include "vox/diar/features.h"
#include "vox/diar/mfcc.h"
#include "vox/diar/segment_embeddings.h"

namespace vox::diar {
namespace {

std::vector<float> tone(double hz, double seconds, float amp = 0.3f) {
  std::vector<float> x(std::size_t(seconds * kSampleRate));
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = amp * float(std::sin(2 * M_PI * hz * double(i) / kSampleRate));
  return x;
}

TEST(Fft, SinusoidPeaksAtItsBin) {
  Fft fft(64);
  std::vector<std::complex<float>> x(64);
  for (int i = 0; i < 64; ++i) x[std::size_t(i)] = {float(std::cos(2 * M_PI * 5 * i / 64)), 0.0f};
  fft.forward(x);
  EXPECT_NEAR(std::abs(x[5]), 32.0, 1e-3);
  EXPECT_NEAR(std::abs(x[59]), 32.0, 1e-3);
  EXPECT_NEAR(std::abs(x[6]), 0.0, 1e-3);
  EXPECT_NEAR(std::abs(x[0]), 0.0, 1e-3);
}

TEST(Mfcc, MelScaleRoundTrip) {
  EXPECT_NEAR(hz_to_mel(1000.0), 1000.0, 0.5);  // HTK mel is ~1000 at 1 kHz by design
  for (double hz : {50.0, 440.0, 3000.0, 7600.0}) EXPECT_NEAR(mel_to_hz(hz_to_mel(hz)), hz, 1e-6);
}

TEST(Mfcc, SameSoundSameCepstraDifferentSoundDifferent) {
  MfccExtractor m;
  const auto low = tone(300, 0.5), high = tone(2500, 0.5);
  std::vector<float> a(std::size_t(m.dim())), b(std::size_t(m.dim())), c(std::size_t(m.dim()));
  m.compute(low, 10, a.data());
  m.compute(low, 20, b.data());
  const float energy = m.compute(high, 10, c.data());
  double same = 0, diff = 0;
  for (int d = 0; d < m.dim(); ++d) {
    same += std::abs(a[std::size_t(d)] - b[std::size_t(d)]);
    diff += std::abs(a[std::size_t(d)] - c[std::size_t(d)]);
  }
  EXPECT_LT(same, 0.2 * diff);
  EXPECT_NEAR(energy, std::log(0.3 * 0.3 / 2), 0.1);  // mean power of a sine
  EXPECT_EQ(MfccExtractor::frame_count(0), 0);
  EXPECT_EQ(MfccExtractor::frame_count(161), 2);
}

TEST(Features, MaskAndNormalisation) {
  auto x = tone(500, 2.0);
  const auto y = tone(1500, 1.0);
  std::copy(y.begin(), y.end(), x.begin() + 8000);
  auto f = extract_features(x, {{0.2, 1.2}, {5.0, 9.0}, {1.0, 1.1}}, nullptr, 0.5, CancelToken{});
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->num_frames, 200);
  EXPECT_EQ(f->speech_frames(), 100);  // overlapping and out-of-range regions are clipped
  normalise_features(*f);
  double mean = 0, sq = 0;
  for (int t = 0; t < f->num_frames; ++t)
    if (f->speech[std::size_t(t)]) mean += f->frame(t)[0], sq += f->frame(t)[0] * f->frame(t)[0];
  EXPECT_NEAR(mean / 100, 0.0, 1e-4);
  EXPECT_NEAR(sq / 100, 1.0, 1e-3);
}

TEST(Features, Cancel) {
  CancelToken cancel;
  cancel.cancel();
  const auto x = tone(500, 1.0);
  auto f = extract_features(x, {{0.0, 1.0}}, nullptr, 0.5, cancel);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().code, ErrorCode::kCancelled);
}

TEST(Features, LongSilencesInsideRegionsAreDropped) {
  // 1 s tone, 1 s silence, 0.3 s silence between two more tones, all in one VAD region.
  std::vector<float> x;
  auto append = [&](const std::vector<float>& v) { x.insert(x.end(), v.begin(), v.end()); };
  append(tone(400, 1.0));
  append(std::vector<float>(16000, 0.0f));
  append(tone(400, 1.0));
  append(std::vector<float>(4800, 0.0f));
  append(tone(400, 1.0));
  auto f = extract_features(x, {{0.0, 4.3}}, nullptr, 0.5, CancelToken{});
  ASSERT_TRUE(f.ok());
  drop_long_silences(*f, 50);
  EXPECT_EQ(f->speech[150], 0);   // inside the 1 s silence
  EXPECT_EQ(f->speech[315], 1);   // inside the 0.3 s pause: kept
  EXPECT_EQ(f->speech[50], 1);
}

TEST(SegmentEmbeddings, WindowsCoverRuns) {
  std::vector<std::uint8_t> speech(1000, 0);
  std::fill(speech.begin() + 10, speech.begin() + 420, 1);   // 410 frames
  std::fill(speech.begin() + 500, speech.begin() + 540, 1);  // short run: one window
  std::fill(speech.begin() + 600, speech.begin() + 610, 1);  // too short: none
  const auto w = make_windows(speech, 150, 75, 30);
  ASSERT_EQ(w.size(), 6u);
  EXPECT_EQ(w[0].begin, 10);
  EXPECT_EQ(w[3].begin, 235);
  EXPECT_EQ(w[4].end, 420);  // aligned to the end of the run
  EXPECT_EQ(w[5].begin, 500);
  EXPECT_EQ(w[5].end, 540);
  const auto owner = nearest_window(w, 1000);
  EXPECT_EQ(owner[10], 0);
  EXPECT_EQ(owner[419], 4);
  EXPECT_EQ(owner[520], 5);
  EXPECT_EQ(owner[605], -1);
}

}  // namespace
}  // namespace vox::diar
