// The energy VAD on real speech (librivox clips), silence, stationary noise and tone bursts.
#include <gtest/gtest.h>

#include <algorithm>
#include <future>

#include "../support/test_audio.h"
#include "vox/engines/factories.h"

namespace vox {
namespace {

using test::add_tone;

struct Utterance {
  double start, end;  // where the clip sits in the concatenated recording
};

class EnergyVadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto v = make_energy_vad(Config{});
    ASSERT_TRUE(v.ok());
    vad_ = std::move(*v);
  }

  std::vector<SpeechRegion> detect(const std::vector<float>& s, const VadOptions& o = {}) {
    auto r = vad_->detect(s, o, {}, CancelToken{});
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : std::vector<SpeechRegion>{};
  }

  // The five clips with `gap` seconds of faint background between them (and before/after).
  std::vector<float> concatenated(double gap, std::vector<Utterance>& where) {
    std::vector<float> out = test::white_noise(gap, 1e-4, 11);
    for (const auto& path : test::librivox_files()) {
      auto clip = test::load_audio(path);
      EXPECT_FALSE(clip.empty()) << path;
      where.push_back({out.size() / 16000.0, (out.size() + clip.size()) / 16000.0});
      out.insert(out.end(), clip.begin(), clip.end());
      auto pause = test::white_noise(gap, 1e-4, unsigned(out.size()));
      out.insert(out.end(), pause.begin(), pause.end());
    }
    return out;
  }

  static double covered(const std::vector<SpeechRegion>& regions, double a, double b) {
    double total = 0;
    for (const auto& r : regions) total += std::max(0.0, std::min(b, r.end) - std::max(a, r.start));
    return total;
  }

  static double total(const std::vector<SpeechRegion>& regions) {
    double t = 0;
    for (const auto& r : regions) t += r.end - r.start;
    return t;
  }

  static void expect_ordered(const std::vector<SpeechRegion>& regions, double duration) {
    for (std::size_t i = 0; i < regions.size(); ++i) {
      EXPECT_GE(regions[i].start, 0.0);
      EXPECT_LT(regions[i].start, regions[i].end);
      EXPECT_LE(regions[i].end, duration + 1e-9);
      if (i > 0) {
        EXPECT_LE(regions[i - 1].end, regions[i].start);
      }
    }
  }

  std::unique_ptr<VoiceActivityDetector> vad_;
};

TEST_F(EnergyVadTest, FindsTheSpeechInEveryLibrivoxClip) {
  for (const auto& path : test::librivox_files()) {
    auto clip = test::load_audio(path);
    ASSERT_FALSE(clip.empty()) << path;
    const double duration = clip.size() / 16000.0;
    auto regions = detect(clip);
    ASSERT_FALSE(regions.empty()) << path;
    expect_ordered(regions, duration);
    // The clips are trimmed utterances: speech from about 0.2 s to the end.
    EXPECT_GE(covered(regions, 0.0, duration), 0.8 * duration) << path;
  }
}

TEST_F(EnergyVadTest, SeparatesUtterancesAtPauses) {
  std::vector<Utterance> where;
  auto audio = concatenated(2.0, where);
  auto regions = detect(audio);
  expect_ordered(regions, audio.size() / 16000.0);
  EXPECT_GE(regions.size(), where.size());
  for (std::size_t i = 0; i < where.size(); ++i) {
    const auto& u = where[i];
    EXPECT_GE(covered(regions, u.start, u.end), 0.8 * (u.end - u.start)) << "utterance " << i;
    // The middle second of the 2 s pause after it holds no speech (padding is 0.3 s).
    EXPECT_EQ(covered(regions, u.end + 0.5, u.end + 1.5), 0.0) << "pause after utterance " << i;
  }
  EXPECT_EQ(covered(regions, 0.0, where[0].start - 0.5), 0.0);
}

TEST_F(EnergyVadTest, FindsSpeechInWhiteNoiseAt15dB) {
  std::vector<Utterance> where;
  auto audio = concatenated(2.0, where);
  double speech_rms = 0;
  {
    double sum = 0, n = 0;
    for (const auto& u : where)
      for (std::size_t i = std::size_t(u.start * 16000); i < std::size_t(u.end * 16000); ++i) sum += double(audio[i]) * audio[i], ++n;
    speech_rms = std::sqrt(sum / n);
  }
  auto noise = test::white_noise(audio.size() / 16000.0 + 1, speech_rms * std::pow(10.0, -15.0 / 20), 5);
  for (std::size_t i = 0; i < audio.size(); ++i) audio[i] += noise[i];
  auto regions = detect(audio);
  for (std::size_t i = 0; i < where.size(); ++i) {
    const auto& u = where[i];
    EXPECT_GE(covered(regions, u.start, u.end), 0.7 * (u.end - u.start)) << "utterance " << i;
    EXPECT_LE(covered(regions, u.end + 0.5, u.end + 1.5), 0.2) << "pause after utterance " << i;
  }
}

TEST_F(EnergyVadTest, DigitalSilenceHasNoSpeech) {
  EXPECT_TRUE(detect(std::vector<float>(16000 * 20, 0.f)).empty());
  EXPECT_TRUE(detect(test::white_noise(20, 3e-5)).empty());  // dither-level background
  EXPECT_TRUE(detect({}).empty());
  EXPECT_TRUE(detect(std::vector<float>(100, 0.5f)).empty());  // shorter than one frame
}

TEST_F(EnergyVadTest, StationaryNoiseHasLittleOrNoSpeech) {
  for (double rms : {0.003, 0.03, 0.2}) {
    EXPECT_LE(total(detect(test::white_noise(30, rms, 3))), 0.5) << "white noise, rms " << rms;
    EXPECT_LE(total(detect(test::brown_noise(30, rms, 4))), 0.5) << "brown noise, rms " << rms;
  }
}

TEST_F(EnergyVadTest, ToneBurstsFollowTheOptions) {
  auto base = test::white_noise(10, 1e-3, 9);
  // Two 1 s bursts 0.3 s apart, then a 0.1 s blip at 6 s.
  auto s = base;
  add_tone(s, 1.0, 1.0);
  add_tone(s, 2.3, 1.0);
  add_tone(s, 6.0, 0.1);

  VadOptions o;
  o.prefix_padding_ms = 0;
  o.silence_duration_ms = 500;
  o.min_speech_ms = 150;
  auto r = detect(s, o);
  ASSERT_EQ(r.size(), 1u) << "the 0.3 s pause is shorter than silence_duration_ms; the blip is too short";
  EXPECT_NEAR(r[0].start, 1.0, 0.03);
  EXPECT_NEAR(r[0].end, 3.3, 0.03);

  o.silence_duration_ms = 200;
  r = detect(s, o);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_NEAR(r[0].end, 2.0, 0.03);
  EXPECT_NEAR(r[1].start, 2.3, 0.03);

  o.min_speech_ms = 50;
  r = detect(s, o);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_NEAR(r[2].start, 6.0, 0.03);

  o.prefix_padding_ms = 300;
  r = detect(s, o);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_NEAR(r[0].start, 0.7, 0.03);
  EXPECT_NEAR(r[0].end, 2.15, 0.03) << "padding stops half-way into a short pause";
  EXPECT_NEAR(r[1].start, 2.15, 0.03);
  EXPECT_NEAR(r[2].end, 6.4, 0.03);
}

TEST_F(EnergyVadTest, HigherThresholdNeedsLouderSpeech) {
  auto s = test::white_noise(10, 1e-3, 9);
  add_tone(s, 2.0, 1.0, 0.003f);  // ~6.5 dB above the background in energy
  VadOptions o;
  o.threshold = 0.1f;  // opens 4.5 dB above the floor
  EXPECT_EQ(detect(s, o).size(), 1u);
  o.threshold = 0.9f;  // opens 16.5 dB above the floor
  EXPECT_TRUE(detect(s, o).empty());
}

TEST_F(EnergyVadTest, RejectsBadOptions) {
  std::vector<float> s(16000, 0.f);
  for (float t : {-0.1f, 1.5f}) {
    VadOptions o;
    o.threshold = t;
    auto r = vad_->detect(s, o, {}, CancelToken{});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  }
  VadOptions o;
  o.silence_duration_ms = -1;
  auto r = vad_->detect(s, o, {}, CancelToken{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(EnergyVadTest, HonoursCancellation) {
  CancelToken cancel;
  cancel.cancel();
  auto r = vad_->detect(test::white_noise(5, 0.1), VadOptions{}, {}, cancel);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kCancelled);
}

TEST_F(EnergyVadTest, ReportsProgressUpToOne) {
  double last = -1;
  auto r = vad_->detect(test::white_noise(5, 0.1), VadOptions{}, [&](std::string_view stage, double f) {
    EXPECT_EQ(stage, "vad");
    EXPECT_GE(f, last);
    last = f;
  }, CancelToken{});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(last, 1.0);
}

TEST_F(EnergyVadTest, ConcurrentCallsAgree) {
  std::vector<Utterance> where;
  const auto audio = concatenated(1.0, where);
  const auto expected = detect(audio);
  ASSERT_FALSE(expected.empty());
  std::vector<std::future<std::vector<SpeechRegion>>> runs;
  for (int i = 0; i < 4; ++i) runs.push_back(std::async(std::launch::async, [&] { return detect(audio); }));
  for (auto& f : runs) {
    auto got = f.get();
    ASSERT_EQ(got.size(), expected.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i].start, expected[i].start);
      EXPECT_EQ(got[i].end, expected[i].end);
    }
  }
}

}  // namespace
}  // namespace vox
