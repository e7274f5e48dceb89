// nemo-ctc: tokens.txt parsing, greedy CTC, words and times, batching, and load errors, against
// the tiny exports of tests/models/nemo_asr_test_models.py (real names, shapes and metadata).
#include <gtest/gtest.h>

#include <random>
#include <thread>

#include "../../models/model_builder.h"
#include "asr_test_util.h"
#include "vox/asr/ctc_greedy.h"
#include "vox/asr/nemo_ctc_model.h"
#include "vox/asr/token_table.h"
#include "vox/asr/token_words.h"
#include "vox/engines/registry.h"

namespace vox::asr {
namespace {

class NemoCtcTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { dir_ = vox::testing::build_test_models("nemo_asr_test_models.py"); }
  void SetUp() override { ASSERT_FALSE(dir_.empty()) << "test models could not be built"; }
  static inline std::string dir_;
};

TEST(TokenTable, ParsesSymbolsIdsAndTheSpaceToken) {
  auto t = TokenTable::parse("  0\na 1\n\xE2\x96\x81the 2\r\n<blk> 3\n", "tokens.txt");
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->size(), 4);
  EXPECT_EQ(t->symbol(0), " ");
  EXPECT_EQ(t->symbol(2), "\xE2\x96\x81the");
  EXPECT_EQ(t->blank(), 3);
  EXPECT_TRUE(t->is_special(3));
  EXPECT_FALSE(t->is_special(1));
  auto no_blank = TokenTable::parse("a 0\nb 1\n", "t");
  ASSERT_TRUE(no_blank.ok());
  EXPECT_EQ(no_blank->blank(), 1);  // NeMo's blank is the last id
}

// Whether the text stage must punctuate the model's words: Parakeet's vocabulary writes text,
// QuartzNet's lowercase letters do not; special symbols like <UNK> never count.
TEST(TokenTable, KnowsWhetherTheVocabularyWritesText) {
  auto lower = TokenTable::parse("  0\na 1\nb 2\n' 3\n<UNK> 4\n<blk> 5\n", "t");
  ASSERT_TRUE(lower.ok());
  EXPECT_FALSE(lower->writes_text());
  auto cased = TokenTable::parse("\xE2\x96\x81The 0\n\xE2\x96\x81the 1\n<blk> 2\n", "t");
  ASSERT_TRUE(cased.ok());
  EXPECT_TRUE(cased->writes_text());
  auto marks = TokenTable::parse("a 0\n. 1\n<blk> 2\n", "t");
  ASSERT_TRUE(marks.ok());
  EXPECT_TRUE(marks->writes_text());
}

TEST(TokenTable, MalformedFilesAreClearErrors) {
  struct Case { const char* text; const char* says; };
  for (const Case& c : {Case{"a 0\nb x\n", "line 2"}, Case{"a 0\nb 0\n", "twice"}, Case{"a 0\nc 2\n", "id 1 is missing"},
                        Case{"", "no tokens"}, Case{"a 0\nnoid\n", "line 2"}}) {
    auto t = TokenTable::parse(c.text, "x/tokens.txt");
    ASSERT_FALSE(t.ok()) << c.text;
    EXPECT_EQ(t.error().code, ErrorCode::kUnavailable);
    EXPECT_NE(t.error().message.find(c.says), std::string::npos) << t.error().message;
    EXPECT_NE(t.error().message.find("x/tokens.txt"), std::string::npos);
  }
  auto missing = TokenTable::load("/nonexistent/tokens.txt");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kModelNotFound);
}

TEST(CtcGreedy, CollapsesRepeatsDropsBlanksAndKeepsRunFrames) {
  // vocab: 0 a, 1 b, 2 blank. Path: a a blank a b b blank -> a a b; frames [0,2) [3,4) [4,6).
  const int v = 3;
  std::vector<int> path = {0, 0, 2, 0, 1, 1, 2};
  std::vector<float> scores(path.size() * v, -10.f);
  for (std::size_t t = 0; t < path.size(); ++t) scores[t * v + path[t]] = 0.f;
  auto d = ctc_greedy(scores, int(path.size()), v, 2);
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0].id, 0); EXPECT_EQ(d[0].frame, 0); EXPECT_EQ(d[0].end_frame, 2);
  EXPECT_EQ(d[1].id, 0); EXPECT_EQ(d[1].frame, 3); EXPECT_EQ(d[1].end_frame, 4);
  EXPECT_EQ(d[2].id, 1); EXPECT_EQ(d[2].frame, 4); EXPECT_EQ(d[2].end_frame, 6);
  EXPECT_FLOAT_EQ(d[0].prob, 1.0f);
}

TEST(TokenWords, SentencePieceMarksAndSpecialTokens) {
  auto t = TokenTable::parse("<unk> 0\n\xE2\x96\x81he 1\nllo 2\n\xE2\x96\x81 3\nw 4\n<blk> 5\n", "t");
  ASSERT_TRUE(t.ok());
  std::vector<DecodedToken> d = {{1, 0, 1, 1.f}, {2, 2, 3, 0.5f}, {0, 4, 5, 1.f}, {3, 5, 6, 1.f}, {4, 7, 9, 1.f}};
  auto words = tokens_to_words(*t, d, 0.08);
  ASSERT_EQ(words.size(), 2u);
  EXPECT_EQ(words[0].text, "hello");
  EXPECT_DOUBLE_EQ(words[0].start, 0.0);
  EXPECT_DOUBLE_EQ(words[0].end, 3 * 0.08);
  EXPECT_FLOAT_EQ(words[0].confidence, 0.75f);
  EXPECT_EQ(words[1].text, "w");
  EXPECT_DOUBLE_EQ(words[1].start, 7 * 0.08);
}

TEST_F(NemoCtcTest, SpellsTheScriptedWordsWithFrameTimes) {
  auto m = NemoCtcModel::load(dir_ + "/ctc", OnnxOptions{});
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ((*m)->n_mels(), 80);
  EXPECT_EQ((*m)->subsampling(), 4);
  const auto audio = noise(1.2, 1);
  auto r = (*m)->run({audio});
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& w = (*r)[0].words;
  EXPECT_EQ(text_of(w), "the cat sat on the books");
  ASSERT_EQ(w.size(), 6u);
  const double f = 0.04;  // 10 ms x subsampling 4
  const double want[6][2] = {{1, 3}, {4, 7}, {8, 10}, {12, 13}, {14, 15}, {16, 23}};
  for (int i = 0; i < 6; ++i) {
    EXPECT_NEAR(w[i].start, want[i][0] * f, 1e-9) << w[i].text;
    EXPECT_NEAR(w[i].end, want[i][1] * f, 1e-9) << w[i].text;
    EXPECT_GT(w[i].confidence, 0.9f);
    EXPECT_LE(w[i].confidence, 1.0f);
  }
}

TEST_F(NemoCtcTest, Fp16ExportsDecodeLikeFp32) {
  auto half = NemoCtcModel::load(dir_ + "/ctc-fp16", OnnxOptions{});
  ASSERT_TRUE(half.ok()) << half.error().message;
  auto full = NemoCtcModel::load(dir_ + "/ctc", OnnxOptions{});
  ASSERT_TRUE(full.ok());
  const auto audio = noise(1.2, 1);
  auto a = (*half)->run({audio});
  auto b = (*full)->run({audio});
  ASSERT_TRUE(a.ok()) << a.error().message;
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(text_of((*a)[0].words), "the cat sat on the books");
  ASSERT_EQ((*a)[0].words.size(), (*b)[0].words.size());
  for (std::size_t i = 0; i < (*a)[0].words.size(); ++i) {
    EXPECT_EQ((*a)[0].words[i].start, (*b)[0].words[i].start);
    EXPECT_NEAR((*a)[0].words[i].confidence, (*b)[0].words[i].confidence, 1e-2);  // half precision
  }
}

TEST_F(NemoCtcTest, CharacterVocabularyWithSpaceTokens) {
  auto m = NemoCtcModel::load(dir_ + "/quartznet", OnnxOptions{});
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ((*m)->n_mels(), 64);
  const auto audio = noise(0.5, 2);
  auto r = (*m)->run({audio});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(text_of((*r)[0].words), "hi there");
  EXPECT_NEAR((*r)[0].words[1].start, 7 * 0.02, 1e-9);
}

TEST_F(NemoCtcTest, BatchingGivesExactlyTheOneByOneResults) {
  auto m = NemoCtcModel::load(dir_ + "/ctc", OnnxOptions{});
  ASSERT_TRUE(m.ok()) << m.error().message;
  const auto a = noise(1.2, 3), b = noise(0.3, 4), c = noise(0.61, 5);
  std::vector<float> none;
  auto batch = (*m)->run({a, b, none, c});
  ASSERT_TRUE(batch.ok()) << batch.error().message;
  ASSERT_EQ(batch->size(), 4u);
  EXPECT_TRUE((*batch)[2].words.empty());
  const std::vector<const std::vector<float>*> inputs = {&a, &b, &none, &c};
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    auto single = (*m)->run({*inputs[i]});
    ASSERT_TRUE(single.ok());
    const auto& x = (*single)[0].words;
    const auto& y = (*batch)[i].words;
    ASSERT_EQ(x.size(), y.size()) << i;
    for (std::size_t k = 0; k < x.size(); ++k) {
      EXPECT_EQ(x[k].text, y[k].text);
      EXPECT_EQ(x[k].start, y[k].start);
      EXPECT_EQ(x[k].end, y[k].end);
      EXPECT_EQ(x[k].confidence, y[k].confidence) << i << " " << k;
    }
  }
  EXPECT_EQ(text_of((*batch)[1].words), "the cat");  // 0.3 s -> 31 frames -> 8 output frames
}

TEST_F(NemoCtcTest, RegisteredRecognizerBatchesConcurrentChunks) {
  const auto* entry = builtin_engines().recognizers.find("nemo-ctc");
  ASSERT_NE(entry, nullptr);
  Config config;
  config.engines.nemo_ctc_model = dir_ + "/ctc";
  config.engines.threads = 2;
  config.engines.asr_batch = 8;  // the CPU default is 1
  auto rec = entry->factory(config);
  ASSERT_TRUE(rec.ok()) << rec.error().message;
  std::vector<std::vector<float>> audio;
  for (unsigned i = 0; i < 6; ++i) audio.push_back(noise(0.3 + 0.2 * i, 10 + i));
  std::vector<Result<ChunkResult>> got(audio.size(), Error(ErrorCode::kInternal, "not run"));
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < audio.size(); ++i)
    threads.emplace_back([&, i] { got[i] = (*rec)->recognize(AudioChunk{audio[i], 0.0, int(i)}, {}, CancelToken{}); });
  for (auto& t : threads) t.join();
  auto model = NemoCtcModel::load(dir_ + "/ctc", OnnxOptions{});
  ASSERT_TRUE(model.ok());
  for (std::size_t i = 0; i < audio.size(); ++i) {
    ASSERT_TRUE(got[i].ok()) << got[i].error().message;
    auto single = (*model)->run({audio[i]});
    ASSERT_TRUE(single.ok());
    EXPECT_EQ(text_of(got[i]->words), text_of((*single)[0].words));
    ASSERT_EQ(got[i]->words.size(), (*single)[0].words.size());
    for (std::size_t k = 0; k < got[i]->words.size(); ++k)
      EXPECT_EQ(got[i]->words[k].confidence, (*single)[0].words[k].confidence);
    EXPECT_EQ(got[i]->language, "en");
  }
}

TEST_F(NemoCtcTest, LoadErrorsSayWhatIsWrong) {
  Config config;
  config.engines.models_dir = "/nonexistent/vox-models";
  auto missing = builtin_engines().recognizers.find("nemo-ctc")->factory(config);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kModelNotFound);
  EXPECT_NE(missing.error().message.find("/nonexistent/vox-models/nemo-ctc/tokens.txt"), std::string::npos)
      << missing.error().message;

  auto no_meta = NemoCtcModel::load(dir_ + "/ctc-no-meta", OnnxOptions{});
  ASSERT_FALSE(no_meta.ok());
  EXPECT_EQ(no_meta.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(no_meta.error().message.find("vocab_size"), std::string::npos) << no_meta.error().message;

  auto wrong = NemoCtcModel::load(dir_ + "/ctc-wrong-vocab", OnnxOptions{});
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().message.find("vocab_size is 5"), std::string::npos) << wrong.error().message;

  auto bad_tokens = NemoCtcModel::load(dir_ + "/ctc-bad-tokens", OnnxOptions{});
  ASSERT_FALSE(bad_tokens.ok());
  EXPECT_NE(bad_tokens.error().message.find("line 4"), std::string::npos) << bad_tokens.error().message;

  // A transducer directory is not a CTC model.
  auto pyannote_like = NemoCtcModel::load(dir_ + "/tdt", OnnxOptions{});
  EXPECT_FALSE(pyannote_like.ok());
}

TEST_F(NemoCtcTest, CudaProviderRunsOrSkipsCleanly) {
  std::string why;
  auto model = load_on_cuda<NemoCtcModel>(dir_ + "/ctc", why);
  if (!model) GTEST_SKIP() << "no CUDA provider here: " << why;
  const auto audio = noise(1.2, 1);
  auto r = model->run({audio});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(text_of((*r)[0].words), "the cat sat on the books");
}

}  // namespace
}  // namespace vox::asr
