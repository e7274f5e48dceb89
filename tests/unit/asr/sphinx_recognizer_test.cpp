// The sphinx recogniser on pocketsphinx-testdata's librivox clips (real read speech, 71 words).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <sstream>

#include "score_wer.h"
#include "../support/test_audio.h"
#include "vox/engines/factories.h"

namespace vox {
namespace {

// Measured 18.3 % (13 errors in 71 words) with the decoder's default flags; two errors of
// headroom so that harmless changes pass and a real regression (a broken CMN, wrong sample
// scaling, lost words) does not.
constexpr double kMaxLibrivoxWer = 0.22;

// id → reference text from the `transcription` file ("<s> words </s> (id)").
std::map<std::string, std::string> librivox_transcripts() {
  std::map<std::string, std::string> out;
  std::ifstream in(std::string(test::kLibrivoxDir) + "/transcription");
  std::string line;
  while (std::getline(in, line)) {
    const auto open = line.rfind('('), close = line.rfind(')');
    if (open == std::string::npos || close == std::string::npos) continue;
    std::istringstream words(line.substr(0, open));
    std::string w, text;
    while (words >> w)
      if (w != "<s>" && w != "</s>") text += (text.empty() ? "" : " ") + w;
    out[line.substr(open + 1, close - open - 1)] = text;
  }
  return out;
}

std::string joined(const ChunkResult& r) {
  std::string s;
  for (const auto& w : r.words) s += (s.empty() ? "" : " ") + w.text;
  return s;
}

class SphinxRecognizerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Config config;
    config.engines.threads = 2;
    auto r = make_sphinx_recognizer(config);
    ASSERT_TRUE(r.ok()) << r.error().message;
    recognizer_ = std::move(*r).release();
    for (const auto& path : test::librivox_files()) clips_.push_back(test::load_audio(path));
    // One sequential pass, shared by the tests below (decoding is the slow part).
    for (const auto& clip : clips_) sequential_.push_back(recognize(clip));
  }
  static void TearDownTestSuite() {
    delete recognizer_;
    recognizer_ = nullptr;
    clips_.clear();
    sequential_.clear();
  }

  static Result<ChunkResult> recognize(const std::vector<float>& samples, const CancelToken& cancel = {}) {
    return recognizer_->recognize(AudioChunk{samples, 0.0, 0}, RecognizeOptions{}, cancel);
  }

  static Recognizer* recognizer_;
  static std::vector<std::vector<float>> clips_;
  static std::vector<Result<ChunkResult>> sequential_;
};

Recognizer* SphinxRecognizerTest::recognizer_ = nullptr;
std::vector<std::vector<float>> SphinxRecognizerTest::clips_;
std::vector<Result<ChunkResult>> SphinxRecognizerTest::sequential_;

TEST(SphinxFactory, MissingModelDirectoryIsUnavailable) {
  Config config;
  config.engines.threads = 1;
  config.engines.sphinx_model_dir = "/nonexistent/pocketsphinx/model";
  auto r = make_sphinx_recognizer(config);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(r.error().message.find("/nonexistent/pocketsphinx/model"), std::string::npos) << r.error().message;
}

TEST(SphinxFactory, IncompleteModelDirectoryIsUnavailable) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(VOX_BINARY_DIR) / "test_output" / "asr" / "empty-model";
  fs::create_directories(dir);
  Config config;
  config.engines.threads = 1;
  config.engines.sphinx_model_dir = dir.string();
  auto r = make_sphinx_recognizer(config);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(r.error().message.find("lacks"), std::string::npos) << r.error().message;
}

TEST_F(SphinxRecognizerTest, PoolSizeIsTheConfiguredThreads) {
  EXPECT_EQ(recognizer_->parallelism(), 2);
  EXPECT_EQ(recognizer_->name(), "sphinx");
}

TEST_F(SphinxRecognizerTest, LibrivoxWerIsWithinBound) {
  const auto refs = librivox_transcripts();
  ASSERT_EQ(refs.size(), 5u);
  std::string ref_text, hyp_text;
  const auto files = test::librivox_files();
  for (std::size_t i = 0; i < files.size(); ++i) {
    ASSERT_FALSE(clips_[i].empty()) << files[i];
    const auto& r = sequential_[i];
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->language, "en");
    const std::string id = std::filesystem::path(files[i]).stem().string();
    ASSERT_TRUE(refs.count(id)) << id;
    ref_text += refs.at(id) + "\n";
    hyp_text += joined(*r) + "\n";
  }
  const double wer = test::score_wer(ref_text, hyp_text, "librivox");
  ASSERT_GE(wer, 0.0) << "score.py could not be run (set VOX_EVAL_DIR)";
  std::cout << "[ measured ] librivox WER " << wer * 100 << " %\n" << hyp_text;
  EXPECT_LE(wer, kMaxLibrivoxWer);
}

TEST_F(SphinxRecognizerTest, WordsAreCleanTimedAndInsideTheChunk) {
  for (std::size_t k = 0; k < clips_.size(); ++k) {
    const auto& r = sequential_[k];
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_FALSE(r->words.empty());
    const double duration = clips_[k].size() / 16000.0;
    double last_end = 0;
    for (const auto& w : r->words) {
      EXPECT_FALSE(w.text.empty());
      EXPECT_EQ(w.text.find_first_of("<>[]()+"), std::string::npos) << "filler or variant marker left: " << w.text;
      EXPECT_GE(w.start, last_end - 1e-9) << w.text;
      EXPECT_LT(w.start, w.end) << w.text;
      EXPECT_LE(w.end, duration + 1e-9) << w.text;
      EXPECT_GE(w.confidence, 0.0f);
      EXPECT_LE(w.confidence, 1.0f);
      last_end = w.end;
    }
    EXPECT_LE(r->avg_logprob, 0.0);
  }
}

TEST_F(SphinxRecognizerTest, LeadingSilenceShiftsWordTimes) {
  // Word times are audio times: 2 s of extra background before a clip moves every word by 2 s.
  const auto& clip = clips_[0];
  auto padded = test::white_noise(2.0, 1e-4, 3);
  padded.insert(padded.end(), clip.begin(), clip.end());
  const auto& plain = sequential_[0];
  auto shifted = recognize(padded);
  ASSERT_TRUE(plain.ok() && shifted.ok());
  ASSERT_FALSE(plain->words.empty());
  const RecognizedWord* later = nullptr;  // "dashwood" is an unusual word: compare it in both
  for (const auto& w : shifted->words)
    if (w.text == plain->words[2].text) later = &w;
  ASSERT_NE(later, nullptr) << joined(*shifted);
  EXPECT_NEAR(later->start, plain->words[2].start + 2.0, 0.15);
}

TEST_F(SphinxRecognizerTest, ConcurrentCallsGiveTheSameWordsAsSequential) {
  for (const auto& r : sequential_) ASSERT_TRUE(r.ok());
  // Two passes from ten threads over a pool of two: decoders are reused in another order.
  std::vector<std::future<Result<ChunkResult>>> runs;
  std::vector<std::size_t> which;
  for (int pass = 0; pass < 2; ++pass)
    for (std::size_t i = 0; i < clips_.size(); ++i) {
      const std::size_t k = (i + pass) % clips_.size();
      which.push_back(k);
      runs.push_back(std::async(std::launch::async, [k] { return recognize(clips_[k]); }));
    }
  for (std::size_t n = 0; n < runs.size(); ++n) {
    auto r = runs[n].get();
    ASSERT_TRUE(r.ok()) << r.error().message;
    const auto& expected = *sequential_[which[n]];
    ASSERT_EQ(joined(*r), joined(expected));
    for (std::size_t i = 0; i < expected.words.size(); ++i) {
      EXPECT_EQ(r->words[i].start, expected.words[i].start);
      EXPECT_EQ(r->words[i].end, expected.words[i].end);
    }
  }
}

TEST_F(SphinxRecognizerTest, EmptyAndSilentChunksHaveNoWords) {
  auto empty = recognize({});
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->words.empty());
  auto silent = recognize(std::vector<float>(16000 * 2, 0.f));
  ASSERT_TRUE(silent.ok());
  EXPECT_LE(silent->words.size(), 1u) << joined(*silent);
}

TEST_F(SphinxRecognizerTest, RejectsOtherLanguages) {
  RecognizeOptions options;
  options.language = "fr";
  auto r = recognizer_->recognize(AudioChunk{clips_[1], 0.0, 0}, options, CancelToken{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  options.language = "en";
  EXPECT_TRUE(recognizer_->recognize(AudioChunk{clips_[1], 0.0, 0}, options, CancelToken{}).ok());
}

TEST_F(SphinxRecognizerTest, HonoursCancellation) {
  CancelToken cancel;
  cancel.cancel();
  auto r = recognize(clips_[0], cancel);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kCancelled);
}

}  // namespace
}  // namespace vox
