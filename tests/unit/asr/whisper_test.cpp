// whisper: features against numpy's reference of OpenAI's log-mel, greedy decoding with the
// timestamp rules, words and times, language detection and forcing, load errors; against the
// tiny export of tests/models/whisper_test_models.py (sherpa-onnx's names and metadata).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <random>

#include "../../models/model_builder.h"
#include "asr_test_util.h"
#include "vox/asr/whisper_features.h"
#include "vox/asr/whisper_model.h"
#include "vox/engines/registry.h"

namespace vox::asr {
namespace {

std::vector<float> read_f32(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<float> out(bytes.size() / sizeof(float));
  std::memcpy(out.data(), bytes.data(), out.size() * sizeof(float));
  return out;
}

TEST(WhisperFeatures, MatchOpenAIsLogMelComputedByNumpy) {
  const std::string dir = vox::testing::build_test_models("nemo_feature_reference.py");
  ASSERT_FALSE(dir.empty());
  for (const char* name : {"chirp", "noise", "short"}) {
    for (int mels : {80, 128}) {
      const auto signal = read_f32(dir + "/" + name + ".signal.f32");
      const auto want = read_f32(dir + "/" + name + ".whisper" + std::to_string(mels) + ".f32");
      auto fx = WhisperFeatureExtractor::create(mels);
      ASSERT_TRUE(fx.ok());
      const auto got = fx->compute(signal);
      ASSERT_EQ(got.size(), want.size());
      int bad = 0;
      for (std::size_t i = 0; i < got.size(); ++i)
        if (std::fabs(got[i] - want[i]) > 1e-4f && ++bad < 4)
          ADD_FAILURE() << name << " mels " << mels << " at " << i << ": " << got[i] << " vs " << want[i];
      EXPECT_EQ(bad, 0);
    }
  }
  EXPECT_FALSE(WhisperFeatureExtractor::create(64).ok());
}

class WhisperTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { dir_ = vox::testing::build_test_models("whisper_test_models.py"); }
  void SetUp() override { ASSERT_FALSE(dir_.empty()) << "test models could not be built"; }
  static inline std::string dir_;
};

TEST_F(WhisperTest, GreedyWithTimestampsDetectsTheLanguage) {
  auto m = WhisperModel::load(dir_ + "/whisper", OnnxOptions{});
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_TRUE((*m)->multilingual());
  const auto audio = noise(2.5, 1);
  auto r = (*m)->recognize(audio, {});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->language, "de");
  // The script's traps (" junk" before the first timestamp, <|nospeech|> after it) are avoided.
  EXPECT_EQ(text_of(r->words), "hello world again");
  ASSERT_EQ(r->words.size(), 3u);
  EXPECT_NEAR(r->words[0].start, 0.0, 1e-9);
  EXPECT_NEAR(r->words[0].end, 0.5, 1e-9);  // "hello" and "world" share 0.00-1.00 by length
  EXPECT_NEAR(r->words[1].start, 0.5, 1e-9);
  EXPECT_NEAR(r->words[1].end, 1.0, 1e-9);
  EXPECT_NEAR(r->words[2].start, 1.2, 1e-9);
  EXPECT_NEAR(r->words[2].end, 2.0, 1e-9);
  for (const auto& w : r->words) EXPECT_GT(w.confidence, 0.9f);
  EXPECT_LT(r->avg_logprob, 0.0);
}

// Under CUDA the caches are bound to GPU memory between steps (OnnxSession::run_bound).
TEST_F(WhisperTest, CudaProviderRunsOrSkipsCleanly) {
  std::string why;
  auto model = load_on_cuda<WhisperModel>(dir_ + "/whisper", why);
  if (!model) GTEST_SKIP() << "no CUDA provider here: " << why;
  auto r = model->recognize(noise(2.5, 1), {});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(text_of(r->words), "hello world again");
}

TEST_F(WhisperTest, RequestedLanguageIsUsedAndUnknownOnesAreErrors) {
  auto m = WhisperModel::load(dir_ + "/whisper", OnnxOptions{});
  ASSERT_TRUE(m.ok()) << m.error().message;
  const auto audio = noise(2.5, 2);
  RecognizeOptions en;
  en.language = "en";
  auto r = (*m)->recognize(audio, en);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->language, "en");
  EXPECT_EQ(text_of(r->words), "hello world again");
  RecognizeOptions xx;
  xx.language = "xx";
  auto bad = (*m)->recognize(audio, xx);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.error().param, "language");
}

TEST_F(WhisperTest, LongChunksAreDecodedInThirtySecondWindows) {
  auto m = WhisperModel::load(dir_ + "/whisper", OnnxOptions{});
  ASSERT_TRUE(m.ok());
  const auto audio = noise(31.0, 3);
  auto r = (*m)->recognize(audio, {});
  ASSERT_TRUE(r.ok()) << r.error().message;
  // Second window: 1 s of audio, so its times are clamped to 30..31 s.
  ASSERT_EQ(r->words.size(), 6u);
  EXPECT_NEAR(r->words[3].start, 30.0, 1e-9);
  EXPECT_LE(r->words[5].end, 31.0 + 1e-9);
}

TEST_F(WhisperTest, RegisteredRecognizerAndLoadErrors) {
  const auto* entry = builtin_engines().recognizers.find("whisper");
  ASSERT_NE(entry, nullptr);
  Config config;
  config.engines.whisper_model = dir_ + "/whisper";
  auto rec = entry->factory(config);
  ASSERT_TRUE(rec.ok()) << rec.error().message;
  const auto audio = noise(2.5, 4);
  auto r = (*rec)->recognize(AudioChunk{audio, 0.0, 0}, {}, CancelToken{});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(text_of(r->words), "hello world again");

  auto no_meta = WhisperModel::load(dir_ + "/whisper-no-meta", OnnxOptions{});
  ASSERT_FALSE(no_meta.ok());
  EXPECT_NE(no_meta.error().message.find("no_timestamps"), std::string::npos) << no_meta.error().message;

  Config missing;
  missing.engines.models_dir = "/nonexistent/vox-models";
  auto none = entry->factory(missing);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, ErrorCode::kModelNotFound);
  EXPECT_NE(none.error().message.find("/nonexistent/vox-models/whisper"), std::string::npos) << none.error().message;
}

}  // namespace
}  // namespace vox::asr
