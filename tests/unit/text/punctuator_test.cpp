// Punctuator over pocketsphinx-en-us's en-us.lm.bin and wamerican-huge's cased word list.
#include <cctype>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "vox/text/punctuator.h"

namespace vox {
namespace {

const std::string kLm = "/usr/share/pocketsphinx/model/en-us/en-us.lm.bin";
const std::string kWords = "/usr/share/dict/american-english-huge";

// Words of one speaker from "a b c | d e": each word lasts 0.25 s, 0.05 s apart; "|" is a
// 0.35 s pause, "||" a 1.5 s pause.
std::vector<Word> make_words(const std::string& text, const std::string& speaker = "A", double t0 = 0.0) {
  std::vector<Word> out;
  std::istringstream in(text);
  std::string tok;
  double t = t0;
  while (in >> tok) {
    if (tok == "|") {
      t += 0.30;
      continue;
    }
    if (tok == "||") {
      t += 1.45;
      continue;
    }
    Word w;
    w.text = tok;
    w.start = t;
    w.end = t + 0.25;
    w.speaker = speaker;
    w.confidence = 0.5f;
    out.push_back(w);
    t = w.end + 0.05;
  }
  return out;
}

std::string join(const std::vector<Word>& words) {
  std::string s;
  for (const auto& w : words) s += (s.empty() ? "" : " ") + w.text;
  return s;
}

class PunctuatorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!std::filesystem::exists(kLm) || !std::filesystem::exists(kWords)) return;
    auto r = Punctuator::load({kLm, kWords});
    if (r) punct_ = std::move(*r).release();
  }
  static void TearDownTestSuite() {
    delete punct_;
    punct_ = nullptr;
  }
  void SetUp() override {
    if (!std::filesystem::exists(kLm)) GTEST_SKIP() << kLm << " is missing (apt install pocketsphinx-en-us)";
    if (!std::filesystem::exists(kWords)) GTEST_SKIP() << kWords << " is missing (apt install wamerican-huge)";
    ASSERT_NE(punct_, nullptr) << "loading the punctuator failed";
  }
  static std::string run(const std::string& text) {
    auto w = make_words(text);
    punct_->apply(w);
    return join(w);
  }
  static Punctuator* punct_;
};

Punctuator* PunctuatorTest::punct_ = nullptr;

TEST_F(PunctuatorTest, EmptyInputStaysEmpty) {
  std::vector<Word> w;
  punct_->apply(w);
  EXPECT_TRUE(w.empty());
}

TEST_F(PunctuatorTest, OneWordIsASentence) { EXPECT_EQ(run("hello"), "Hello."); }

TEST_F(PunctuatorTest, WhQuestion) { EXPECT_EQ(run("what time is it"), "What time is it?"); }

TEST_F(PunctuatorTest, AuxiliaryInversionQuestion) {
  EXPECT_EQ(run("do you like it"), "Do you like it?");
  EXPECT_EQ(run("can we meet tomorrow"), "Can we meet tomorrow?");
}

TEST_F(PunctuatorTest, StatementsAreNotQuestions) {
  EXPECT_EQ(run("we can meet tomorrow"), "We can meet tomorrow.");
  EXPECT_EQ(run("do it now"), "Do it now.");  // an imperative, not "do" + a subject
}

TEST_F(PunctuatorTest, TagQuestions) {
  EXPECT_EQ(run("it is a nice day isn't it"), "It is a nice day, isn't it?");
  EXPECT_EQ(run("you finished the report | right"), "You finished the report, right?");
  EXPECT_EQ(run("that's right"), "That's right.");
}

TEST_F(PunctuatorTest, PronounIAndContractions) {
  EXPECT_EQ(run("yesterday i said i'm sure i'll go"), "Yesterday I said I'm sure I'll go.");
}

TEST_F(PunctuatorTest, ProperNounsFromTheWordList) {
  EXPECT_EQ(run("i met john in paris"), "I met John in Paris.");
  EXPECT_EQ(run("we fly to chicago on monday"), "We fly to Chicago on Monday.");
  // Common words that are also names stay lowercase.
  EXPECT_EQ(run("we will bill you in may"), "We will bill you in may.");
}

TEST_F(PunctuatorTest, KeepsGivenCapitalsAndReplacesGivenMarks) {
  auto w = make_words("we met NASA engineers. in houston,");
  punct_->apply(w);
  EXPECT_EQ(join(w), "We met NASA engineers in Houston.");
}

TEST_F(PunctuatorTest, LongPauseEndsASentence) {
  EXPECT_EQ(run("we went home early || the weather was cold"), "We went home early. The weather was cold.");
}

TEST_F(PunctuatorTest, LanguageModelPlacesSentenceEnds) {
  // The same short pause ends a sentence where the language model expects an end ...
  EXPECT_EQ(run("thank you very much | i will see you tomorrow"), "Thank you very much. I will see you tomorrow.");
  // ... and not in the middle of a phrase.
  EXPECT_EQ(run("i bought a new | car for my brother"), "I bought a new car for my brother.");
}

TEST_F(PunctuatorTest, SpeakerChangeEndsASentence) {
  auto a = make_words("i think we are going to", "A");
  auto b = make_words("okay let's go", "B", a.back().end + 0.05);
  a.insert(a.end(), b.begin(), b.end());
  punct_->apply(a);
  EXPECT_EQ(join(a), "I think we are going to. Okay, let's go.");
}

TEST_F(PunctuatorTest, Commas) {
  EXPECT_EQ(run("well i think so"), "Well, I think so.");
  EXPECT_EQ(run("it was raining but we played outside"), "It was raining, but we played outside.");
  EXPECT_EQ(run("if you are hungry we can eat now"), "If you are hungry, we can eat now.");
}

TEST_F(PunctuatorTest, NeverChangesCountTimesOrSpeakers) {
  auto a = make_words("so what do you think about the plan | i like it a lot but", "A");
  auto b = make_words("mr smith said no || yes", "B", a.back().end + 0.3);
  a.insert(a.end(), b.begin(), b.end());
  const auto before = a;
  punct_->apply(a);
  ASSERT_EQ(a.size(), before.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].start, before[i].start);
    EXPECT_EQ(a[i].end, before[i].end);
    EXPECT_EQ(a[i].speaker, before[i].speaker);
    EXPECT_EQ(a[i].confidence, before[i].confidence);
    // Only a capital and a trailing mark change.
    std::string core = a[i].text;
    while (!core.empty() && (core.back() == '.' || core.back() == ',' || core.back() == '?')) core.pop_back();
    ASSERT_FALSE(core.empty());
    core[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(core[0])));
    EXPECT_EQ(core, before[i].text);
  }
  EXPECT_EQ(a.back().text, "Yes.");
  EXPECT_EQ(a[a.size() - 5].text, "Mr");  // no full stop after a title
}

TEST_F(PunctuatorTest, SafeFromSeveralThreads) {
  // Different texts per thread, so that concurrent lookups use different histories.
  const std::vector<std::string> texts = {
      "what do you think about the new office | i like it but the kitchen is small || can we "
      "move the meeting to friday | sure that works for me | thanks john",
      "the weather was cold and rainy all week | we stayed inside and played cards || did you "
      "finish the report | not yet i will send it tomorrow morning",
      "my brother lives in boston | he works at a hospital near the river || how long have you "
      "known him | about ten years i think",
      "please close the window | it is getting cold in here || is it going to snow tonight | "
      "the forecast says it will"};
  std::vector<std::vector<Word>> inputs, expected;
  for (const auto& t : texts) {
    inputs.push_back(make_words(t));
    expected.push_back(inputs.back());
    punct_->apply(expected.back());
  }
  std::vector<std::string> mismatch(texts.size());
  std::vector<std::thread> threads;
  for (size_t k = 0; k < texts.size(); ++k)
    threads.emplace_back([&, k] {
      for (int r = 0; r < 300 && mismatch[k].empty(); ++r) {
        auto w = inputs[k];
        punct_->apply(w);
        if (join(w) != join(expected[k])) mismatch[k] = join(w);
      }
    });
  for (auto& t : threads) t.join();
  for (size_t k = 0; k < texts.size(); ++k) EXPECT_EQ(mismatch[k], "") << "expected " << join(expected[k]);
}

TEST(PunctuatorLoadTest, MissingModelIsAnError) {
  auto r = Punctuator::load({"/nonexistent/en-us.lm.bin", ""});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kModelNotFound);
}

TEST(PunctuatorLoadTest, MissingWordListIsAnError) {
  if (!std::filesystem::exists(kLm)) GTEST_SKIP() << kLm << " is missing";
  auto r = Punctuator::load({kLm, "/nonexistent/words"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kModelNotFound);
}

TEST(PunctuatorLoadTest, WorksWithoutAWordList) {
  if (!std::filesystem::exists(kLm)) GTEST_SKIP() << kLm << " is missing";
  auto r = Punctuator::load({kLm, ""});
  ASSERT_TRUE(r.ok()) << r.error().message;
  auto w = make_words("i met john in paris");
  (*r)->apply(w);
  EXPECT_EQ(join(w), "I met john in paris.");
}

}  // namespace
}  // namespace vox
