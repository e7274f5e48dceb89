// nemo-transducer: greedy RNNT and TDT search on tiny exports with sherpa-onnx's Parakeet names,
// shapes, dtypes and metadata (tests/models/nemo_asr_test_models.py). The TDT joiner's durations
// jump over frames that would emit "junk", and one frame emits forever with duration 0, so the
// text is right only if the skips and the per-frame cap work.
#include <gtest/gtest.h>

#include <random>
#include <thread>

#include "../../models/model_builder.h"
#include "asr_test_util.h"
#include "vox/asr/nemo_transducer_model.h"
#include "vox/engines/registry.h"

namespace vox::asr {
namespace {

class NemoTransducerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { dir_ = vox::testing::build_test_models("nemo_asr_test_models.py"); }
  void SetUp() override { ASSERT_FALSE(dir_.empty()) << "test models could not be built"; }
  static inline std::string dir_;
};

TEST_F(NemoTransducerTest, TdtHonoursDurationsAndTheSymbolCap) {
  auto m = NemoTransducerModel::load(dir_ + "/tdt", OnnxOptions{});
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_TRUE((*m)->is_tdt());
  EXPECT_EQ((*m)->n_mels(), 128);
  EXPECT_EQ((*m)->subsampling(), 8);
  const auto audio = noise(1.6, 1);
  auto r = (*m)->run({audio});
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& w = (*r)[0].words;
  EXPECT_EQ(text_of(w), "hello world again la la la la la");
  ASSERT_EQ(w.size(), 8u);
  const double f = 0.08;  // Parakeet: 80 ms per encoder frame
  EXPECT_NEAR(w[0].start, 0 * f, 1e-9);
  EXPECT_NEAR(w[0].end, 2 * f, 1e-9);  // "llo" at frame 0 lasts 2 frames
  EXPECT_NEAR(w[1].start, 5 * f, 1e-9);
  EXPECT_NEAR(w[1].end, 10 * f, 1e-9);  // "ld" at frame 6 lasts 4
  EXPECT_NEAR(w[2].start, 11 * f, 1e-9);
  EXPECT_NEAR(w[2].end, 12 * f, 1e-9);
  EXPECT_NEAR(w[3].start, 14 * f, 1e-9);
  EXPECT_NEAR(w[3].end, 15 * f, 1e-9);
  for (const auto& word : w) {
    EXPECT_GT(word.confidence, 0.9f) << word.text;
    EXPECT_LE(word.confidence, 1.0f);
  }
}

TEST_F(NemoTransducerTest, RnntEmitsPerFrameUntilBlankOrTheCap) {
  auto m = NemoTransducerModel::load(dir_ + "/rnnt", OnnxOptions{});
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_FALSE((*m)->is_tdt());
  const auto audio = noise(1.6, 2);
  auto r = (*m)->run({audio});
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& w = (*r)[0].words;
  std::string want = "hello world again";
  for (int i = 0; i < 10; ++i) want += " la";  // capped at 10 symbols on frame 7
  EXPECT_EQ(text_of(w), want);
  ASSERT_GE(w.size(), 3u);
  EXPECT_NEAR(w[0].start, 0.0, 1e-9);
  EXPECT_NEAR(w[0].end, 0.08, 1e-9);
  EXPECT_NEAR(w[1].start, 0.16, 1e-9);
  EXPECT_NEAR(w[2].start, 0.40, 1e-9);
}

// Batched (encoder and lockstep search) against one chunk per run, word for word.
void expect_batch_matches_singles(const NemoTransducerModel& m, const std::vector<std::vector<float>>& audio) {
  std::vector<std::span<const float>> chunks(audio.begin(), audio.end());
  auto batch = m.run(chunks);
  ASSERT_TRUE(batch.ok()) << batch.error().message;
  for (std::size_t i = 0; i < audio.size(); ++i) {
    auto single = m.run({audio[i]});
    ASSERT_TRUE(single.ok());
    const auto& x = (*single)[0].words;
    const auto& y = (*batch)[i].words;
    ASSERT_EQ(x.size(), y.size()) << i;
    for (std::size_t k = 0; k < x.size(); ++k) {
      EXPECT_EQ(x[k].text, y[k].text);
      EXPECT_EQ(x[k].start, y[k].start);
      EXPECT_EQ(x[k].end, y[k].end);
      EXPECT_EQ(x[k].confidence, y[k].confidence);
    }
  }
}

TEST_F(NemoTransducerTest, BatchingGivesExactlyTheOneByOneResults) {
  for (const char* kind : {"tdt", "rnnt"}) {
    SCOPED_TRACE(kind);
    auto m = NemoTransducerModel::load(dir_ + "/" + kind, OnnxOptions{});
    ASSERT_TRUE(m.ok()) << m.error().message;
    EXPECT_TRUE((*m)->batched_search());
    // Different lengths: utterances leave the lockstep search at different steps.
    expect_batch_matches_singles(**m, {noise(1.6, 3), noise(0.45, 4), noise(1.0, 5), noise(0.2, 6)});
  }
  auto m = NemoTransducerModel::load(dir_ + "/tdt", OnnxOptions{});
  ASSERT_TRUE(m.ok());
  // 0.45 s -> 46 feature frames -> 6 encoder frames (0..5): the search stops at the chunk's own end.
  auto short_one = (*m)->run({noise(1.6, 3), noise(0.45, 4)});
  ASSERT_TRUE(short_one.ok());
  EXPECT_EQ(text_of((*short_one)[1].words), "hello wor");  // "ld" would come on frame 6
  EXPECT_EQ(text_of((*short_one)[0].words), "hello world again la la la la la");
}

TEST_F(NemoTransducerTest, ExportWithAFixedBatchOfOneIsSearchedOneByOne) {
  auto m = NemoTransducerModel::load(dir_ + "/tdt-batch1", OnnxOptions{});
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_FALSE((*m)->batched_search());
  expect_batch_matches_singles(**m, {noise(1.6, 7), noise(0.45, 8), noise(1.0, 9)});
  auto r = (*m)->run({noise(1.6, 7)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(text_of((*r)[0].words), "hello world again la la la la la");
}

TEST_F(NemoTransducerTest, Fp16ExportsDecodeLikeFp32) {
  auto m = NemoTransducerModel::load(dir_ + "/tdt-fp16", OnnxOptions{});
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_TRUE((*m)->is_tdt());
  EXPECT_TRUE((*m)->batched_search());
  auto r = (*m)->run({noise(1.6, 1), noise(0.45, 4)});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(text_of((*r)[0].words), "hello world again la la la la la");
  EXPECT_EQ(text_of((*r)[1].words), "hello wor");
  EXPECT_NEAR((*r)[0].words[1].end, 10 * 0.08, 1e-9);
}

TEST_F(NemoTransducerTest, RegisteredRecognizerUnderConcurrency) {
  const auto* entry = builtin_engines().recognizers.find("nemo-transducer");
  ASSERT_NE(entry, nullptr);
  Config config;
  config.engines.nemo_transducer_model = dir_ + "/tdt";
  config.engines.threads = 2;
  config.engines.asr_batch = 8;  // the CPU default is 1
  auto rec = entry->factory(config);
  ASSERT_TRUE(rec.ok()) << rec.error().message;
  EXPECT_EQ((*rec)->name(), "nemo-transducer");
  std::vector<std::vector<float>> audio;
  for (unsigned i = 0; i < 4; ++i) audio.push_back(noise(0.5 + 0.4 * i, 20 + i));
  std::vector<std::string> got(audio.size());
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < audio.size(); ++i)
    threads.emplace_back([&, i] {
      auto r = (*rec)->recognize(AudioChunk{audio[i], 0.0, int(i)}, {}, CancelToken{});
      got[i] = r ? text_of(r->words) : "error: " + r.error().message;
    });
  for (auto& t : threads) t.join();
  auto model = NemoTransducerModel::load(dir_ + "/tdt", OnnxOptions{});
  ASSERT_TRUE(model.ok());
  for (std::size_t i = 0; i < audio.size(); ++i) {
    auto single = (*model)->run({audio[i]});
    ASSERT_TRUE(single.ok());
    EXPECT_EQ(got[i], text_of((*single)[0].words)) << i;
  }
}

TEST_F(NemoTransducerTest, WrongExportsAreClearErrors) {
  auto blank_first = NemoTransducerModel::load(dir_ + "/tdt-blank-first", OnnxOptions{});
  ASSERT_FALSE(blank_first.ok());
  EXPECT_NE(blank_first.error().message.find("<blk> must be the last"), std::string::npos) << blank_first.error().message;

  auto no_hidden = NemoTransducerModel::load(dir_ + "/tdt-no-hidden", OnnxOptions{});
  ASSERT_FALSE(no_hidden.ok());
  EXPECT_EQ(no_hidden.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(no_hidden.error().message.find("pred_hidden"), std::string::npos) << no_hidden.error().message;

  auto ctc_dir = NemoTransducerModel::load(dir_ + "/ctc", OnnxOptions{});
  ASSERT_FALSE(ctc_dir.ok());
  EXPECT_EQ(ctc_dir.error().code, ErrorCode::kModelNotFound);
  EXPECT_NE(ctc_dir.error().message.find("encoder.onnx"), std::string::npos) << ctc_dir.error().message;

  Config config;
  config.engines.models_dir = "/nonexistent/vox-models";
  auto missing = builtin_engines().recognizers.find("nemo-transducer")->factory(config);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kModelNotFound);
  EXPECT_NE(missing.error().message.find("/nonexistent/vox-models/nemo-transducer"), std::string::npos);
}

TEST_F(NemoTransducerTest, CudaProviderRunsOrSkipsCleanly) {
  std::string why;
  auto model = load_on_cuda<NemoTransducerModel>(dir_ + "/tdt", why);
  if (!model) GTEST_SKIP() << "no CUDA provider here: " << why;
  const auto audio = noise(1.6, 1);
  auto r = model->run({audio});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(text_of((*r)[0].words), "hello world again la la la la la");
}

}  // namespace
}  // namespace vox::asr
