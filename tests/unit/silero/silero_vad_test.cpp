// Silero VAD on real speech (pocketsphinx-testdata librivox clips), silence and noise.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <random>
#include <thread>

#include "../../models/model_builder.h"
#include "vox/audio/decoder.h"
#include "vox/vad/silero_vad.h"

namespace vox {
namespace {

const char* kLibrivox = "/usr/share/pocketsphinx/test/data/librivox";

std::vector<std::string> librivox_files() {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(kLibrivox, ec))
    if (e.path().extension() == ".wav") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<float> decode(const std::string& path) {
  auto decoder = make_ffmpeg_decoder();
  auto audio = decoder->decode_file(path, DecodeOptions{});
  EXPECT_TRUE(audio.ok()) << path << ": " << (audio.ok() ? "" : audio.error().message);
  return audio.ok() ? audio->samples : std::vector<float>{};
}

// First 32 ms frame whose RMS reaches 10 % of the loudest frame's: where speech audibly starts.
double energy_onset(const std::vector<float>& x) {
  const std::size_t frame = 512;
  std::vector<double> rms;
  for (std::size_t i = 0; i + frame <= x.size(); i += frame) {
    double e = 0;
    for (std::size_t j = i; j < i + frame; ++j) e += double(x[j]) * x[j];
    rms.push_back(std::sqrt(e / frame));
  }
  const double peak = *std::max_element(rms.begin(), rms.end());
  for (std::size_t i = 0; i < rms.size(); ++i)
    if (rms[i] >= 0.1 * peak) return double(i * frame) / 16000.0;
  return -1;
}

std::vector<float> white_noise(double seconds, float amplitude, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> n(0.f, amplitude);
  std::vector<float> x(std::size_t(seconds * 16000));
  for (auto& v : x) v = std::clamp(n(rng), -1.f, 1.f);
  return x;
}

// Paul Kellet's economy pink filter over white noise (-3 dB/octave).
std::vector<float> pink_noise(double seconds, float amplitude, unsigned seed) {
  auto w = white_noise(seconds, 1.f, seed);
  float b0 = 0, b1 = 0, b2 = 0;
  for (auto& v : w) {
    b0 = 0.99765f * b0 + v * 0.0990460f;
    b1 = 0.96300f * b1 + v * 0.2965164f;
    b2 = 0.57000f * b2 + v * 1.0526913f;
    v = std::clamp((b0 + b1 + b2 + v * 0.1848f) * amplitude * 0.25f, -1.f, 1.f);
  }
  return w;
}

class SileroVadTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto vad = make_silero_vad(Config{});
    if (vad.ok()) vad_ = std::move(*vad).release();
    else load_error_ = vad.error().message;
  }
  static void TearDownTestSuite() { delete vad_; vad_ = nullptr; }
  void SetUp() override { ASSERT_NE(vad_, nullptr) << load_error_; }
  static Result<std::vector<SpeechRegion>> detect(const std::vector<float>& x, VadOptions o = {}) {
    return vad_->detect(x, o, {}, {});
  }
  static inline VoiceActivityDetector* vad_ = nullptr;
  static inline std::string load_error_;
};

TEST_F(SileroVadTest, FindsSpeechInEveryLibrivoxClipNearItsOnset) {
  auto files = librivox_files();
  ASSERT_GE(files.size(), 3u) << "pocketsphinx-testdata is missing";
  VadOptions no_pad;
  no_pad.prefix_padding_ms = 0;
  for (const auto& f : files) {
    auto x = decode(f);
    ASSERT_FALSE(x.empty());
    auto r = detect(x, no_pad);
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_FALSE(r->empty()) << f;
    double covered = 0;
    for (const auto& s : *r) {
      EXPECT_LT(s.start, s.end);
      covered += s.end - s.start;
    }
    const double duration = double(x.size()) / 16000.0;
    EXPECT_GT(covered, 0.6 * duration) << f;  // read speech, short pauses
    const double onset = energy_onset(x);
    EXPECT_NEAR(r->front().start, onset, 0.25) << f;
  }
}

TEST_F(SileroVadTest, SpeechSurroundedBySilenceKeepsItsBoundaries) {
  auto speech = decode(librivox_files().at(0));
  ASSERT_FALSE(speech.empty());
  const std::size_t gap = 3 * 16000;
  std::vector<float> x(gap, 0.f);
  x.insert(x.end(), speech.begin(), speech.end());
  x.insert(x.end(), gap, 0.f);
  x.insert(x.end(), speech.begin(), speech.end());
  x.insert(x.end(), gap, 0.f);
  auto r = detect(x);  // default options: 300 ms padding, 500 ms silence
  ASSERT_TRUE(r.ok());
  const double len = double(speech.size()) / 16000.0;
  // two utterances separated by 3 s of silence: at least one region each, none bridging the gap
  ASSERT_GE(r->size(), 2u);
  EXPECT_GT(r->front().start, 3.0 - 0.35);
  EXPECT_LT(r->back().end, 6.0 + 2 * len + 0.35);
  for (const auto& s : *r)
    EXPECT_FALSE(s.start < 3.0 + len + 0.5 && s.end > 3.0 + len + 2.5) << s.start << ".." << s.end;
}

TEST_F(SileroVadTest, NothingInSilenceOrNoise) {
  EXPECT_TRUE(detect(std::vector<float>(5 * 16000, 0.f))->empty());
  auto white = detect(white_noise(10, 0.1f, 7));
  ASSERT_TRUE(white.ok());
  EXPECT_TRUE(white->empty()) << white->size() << " regions in white noise";
  auto pink = detect(pink_noise(10, 0.3f, 11));
  ASSERT_TRUE(pink.ok());
  EXPECT_TRUE(pink->empty()) << pink->size() << " regions in pink noise";
  EXPECT_TRUE(detect({})->empty());
}

TEST_F(SileroVadTest, ProgressCancelAndBadOptions) {
  auto x = white_noise(4, 0.01f, 3);
  std::vector<double> seen;
  auto r = vad_->detect(x, {}, [&](std::string_view stage, double f) {
    EXPECT_EQ(stage, "vad");
    seen.push_back(f);
  }, {});
  ASSERT_TRUE(r.ok());
  ASSERT_GE(seen.size(), 2u);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  EXPECT_DOUBLE_EQ(seen.back(), 1.0);

  CancelToken cancel;
  cancel.cancel();
  auto c = vad_->detect(x, {}, {}, cancel);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, ErrorCode::kCancelled);

  VadOptions bad;
  bad.threshold = 1.5f;
  EXPECT_EQ(detect(x, bad).error().code, ErrorCode::kInvalidArgument);
  bad = {};
  bad.silence_duration_ms = -1;
  EXPECT_EQ(detect(x, bad).error().code, ErrorCode::kInvalidArgument);
}

TEST_F(SileroVadTest, ConcurrentDetectCallsAgree) {
  auto x = decode(librivox_files().at(1));
  ASSERT_FALSE(x.empty());
  auto expected = detect(x);
  ASSERT_TRUE(expected.ok());
  std::vector<std::vector<SpeechRegion>> got(3);
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t)
    threads.emplace_back([&, t] {
      auto r = detect(x);
      if (r.ok()) got[t] = *r;
    });
  for (auto& th : threads) th.join();
  for (const auto& g : got) {
    ASSERT_EQ(g.size(), expected->size());
    for (std::size_t i = 0; i < g.size(); ++i) {
      EXPECT_DOUBLE_EQ(g[i].start, (*expected)[i].start);
      EXPECT_DOUBLE_EQ(g[i].end, (*expected)[i].end);
    }
  }
}

TEST_F(SileroVadTest, SpeechInNoiseAt6dBIsStillFound) {
  auto speech = decode(librivox_files().at(2));
  ASSERT_FALSE(speech.empty());
  double power = 0;
  for (float v : speech) power += double(v) * v;
  power /= double(speech.size());
  // white noise 6 dB below the clip's average power
  auto noise = white_noise(double(speech.size()) / 16000.0 + 0.1, float(std::sqrt(power / std::pow(10.0, 0.6))), 5);
  for (std::size_t i = 0; i < speech.size(); ++i) speech[i] = std::clamp(speech[i] + noise[i], -1.f, 1.f);
  auto r = detect(speech);
  ASSERT_TRUE(r.ok());
  ASSERT_FALSE(r->empty());
  double covered = 0;
  for (const auto& s : *r) covered += s.end - s.start;
  EXPECT_GT(covered, 0.5 * double(speech.size()) / 16000.0);
}

TEST(SileroVadLoad, MissingOrWrongModel) {
  auto missing = make_silero_vad_from("/nonexistent/silero.onnx", OnnxOptions{});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kModelNotFound);
  const std::string other = vox::testing::build_test_models("onnx_test_models.py");
  ASSERT_FALSE(other.empty());
  auto wrong = make_silero_vad_from(other + "/basic.onnx", OnnxOptions{});
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(wrong.error().message.find("not a Silero"), std::string::npos) << wrong.error().message;
}

}  // namespace
}  // namespace vox
