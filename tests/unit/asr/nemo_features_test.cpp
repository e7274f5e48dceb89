// NeMo log-mel features against an independent numpy implementation of NeMo's FilterbankFeatures
// (tests/models/nemo_feature_reference.py), frame by frame, for 64/80/128 mels, with and without
// per-feature normalisation, on signals whose lengths are and are not multiples of the hop.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>

#include "../../models/model_builder.h"
#include "vox/asr/fft.h"
#include "vox/asr/nemo_features.h"

namespace vox::asr {
namespace {

std::vector<float> read_f32(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<float> out(bytes.size() / sizeof(float));
  std::memcpy(out.data(), bytes.data(), out.size() * sizeof(float));
  return out;
}

class NemoFeaturesGolden : public ::testing::TestWithParam<std::tuple<std::string, int, bool>> {
 protected:
  static void SetUpTestSuite() { dir_ = vox::testing::build_test_models("nemo_feature_reference.py"); }
  static inline std::string dir_;
};

TEST_P(NemoFeaturesGolden, MatchesTheReferenceFrameByFrame) {
  ASSERT_FALSE(dir_.empty()) << "reference features could not be computed";
  const auto& [name, mels, normalize] = GetParam();
  const auto signal = read_f32(dir_ + "/" + name + ".signal.f32");
  const auto expected =
      read_f32(dir_ + "/" + name + ".n" + std::to_string(mels) + (normalize ? ".per_feature" : ".none") + ".f32");
  ASSERT_FALSE(signal.empty());
  auto fx = NemoFeatureExtractor::create({mels, normalize ? FeatureNormalize::kPerFeature : FeatureNormalize::kNone});
  ASSERT_TRUE(fx.ok()) << fx.error().message;
  const Features f = fx->compute(signal);
  ASSERT_EQ(f.n_mels, mels);
  ASSERT_EQ(f.frames, int(signal.size() / 160 + 1));
  ASSERT_EQ(f.data.size(), expected.size());
  int mismatches = 0;
  for (int t = 0; t < f.frames; ++t) {
    for (int m = 0; m < mels; ++m) {
      const float want = expected[std::size_t(t) * mels + m];
      // Both sides work in double from the same float32 samples; 1e-3 allows for float32 output
      // and the different FFT algorithms.
      if (std::fabs(f.at(t, m) - want) > 1e-3f * std::max(1.0f, std::fabs(want)) && ++mismatches < 5)
        ADD_FAILURE() << name << " frame " << t << " mel " << m << ": " << f.at(t, m) << " vs " << want;
    }
  }
  EXPECT_EQ(mismatches, 0);
}

INSTANTIATE_TEST_SUITE_P(Cases, NemoFeaturesGolden,
                         ::testing::Combine(::testing::Values("chirp", "noise", "tone", "short"),
                                            ::testing::Values(64, 80, 128), ::testing::Bool()));

TEST(NemoFeatures, NormalisedFeaturesHaveZeroMeanUnitStd) {
  std::vector<float> s(16000);
  for (std::size_t i = 0; i < s.size(); ++i) s[i] = 0.3f * std::sin(0.05f * float(i)) * float(i % 977) / 977.0f;
  auto fx = NemoFeatureExtractor::create({80, FeatureNormalize::kPerFeature});
  ASSERT_TRUE(fx.ok());
  const Features f = fx->compute(s);
  for (int m = 0; m < 80; m += 13) {
    double mean = 0, var = 0;
    for (int t = 0; t < f.frames; ++t) mean += f.at(t, m);
    mean /= f.frames;
    for (int t = 0; t < f.frames; ++t) var += (f.at(t, m) - mean) * (f.at(t, m) - mean);
    EXPECT_NEAR(mean, 0.0, 1e-4);
    EXPECT_NEAR(std::sqrt(var / (f.frames - 1)), 1.0, 1e-3);
  }
}

TEST(NemoFeatures, EmptyInputHasNoFramesAndBadConfigIsAnError) {
  auto fx = NemoFeatureExtractor::create({64, FeatureNormalize::kNone});
  ASSERT_TRUE(fx.ok());
  EXPECT_EQ(fx->compute({}).frames, 0);
  EXPECT_FALSE(NemoFeatureExtractor::create({0, FeatureNormalize::kNone}).ok());
  EXPECT_FALSE(NemoFeatureExtractor::create({1000, FeatureNormalize::kNone}).ok());
}

TEST(NemoFeatures, NormalizeTypeNames) {
  EXPECT_EQ(*parse_normalize_type("per_feature"), FeatureNormalize::kPerFeature);
  EXPECT_EQ(*parse_normalize_type(""), FeatureNormalize::kNone);
  EXPECT_EQ(*parse_normalize_type("NA"), FeatureNormalize::kNone);
  auto bad = parse_normalize_type("all_features");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("all_features"), std::string::npos);
}

TEST(Fft, MatchesADirectDft) {
  const std::size_t n = 64;
  std::vector<std::complex<double>> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = {std::sin(0.3 * double(i)) + 0.1 * double(i % 5), 0.0};
  auto y = x;
  Fft(n).forward(y);
  for (std::size_t k = 0; k < n; ++k) {
    std::complex<double> want = 0;
    for (std::size_t i = 0; i < n; ++i) want += x[i] * std::polar(1.0, -2.0 * 3.141592653589793 * double(k * i) / n);
    EXPECT_NEAR(std::abs(y[k] - want), 0.0, 1e-9) << k;
  }
  EXPECT_TRUE(is_power_of_two(512));
  EXPECT_FALSE(is_power_of_two(400));
}

}  // namespace
}  // namespace vox::asr
