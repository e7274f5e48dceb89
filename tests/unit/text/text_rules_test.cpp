// Text rules, filler removal and the profanity filter (text_rules.h).
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "vox/text/text_rules.h"

#include "test_words.h"

namespace vox {
namespace {

std::vector<Word> rules_words(const std::string& text, const std::string& speaker = "") {
  return test::words_of(text, speaker);
}

std::string rules_join(const std::vector<Word>& words) { return test::joined(words, "|"); }

std::string run_rules(const std::string& text, const std::vector<TextRule>& rules) {
  return rules_join(apply_text_rules(rules_words(text), rules));
}

// ---- parsing ----

TEST(TextRulesParse, FileLines) {
  auto r = parse_text_rules("# house style\n\ngonna => going to\r\n  Jon=>John  \nfoo =>\n");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].from, "gonna");
  EXPECT_EQ((*r)[0].to, "going to");
  EXPECT_EQ((*r)[1].from, "Jon");
  EXPECT_EQ((*r)[1].to, "John");
  EXPECT_EQ((*r)[2].from, "foo");
  EXPECT_EQ((*r)[2].to, "");
  auto empty = parse_text_rules("");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST(TextRulesParse, BadLinesNameTheLine) {
  auto r = parse_text_rules("a => b\n# c\nno arrow here\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message.find("line 3"), std::string::npos) << r.error().message;
  auto e = parse_text_rules("a => b\n  => c\n");
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().message.find("line 2"), std::string::npos) << e.error().message;
}

TEST(TextRulesParse, Json) {
  auto r = parse_text_rules_json(R"([{"from": "gonna", "to": "going to"}, {"from": "um ", "to": ""}])");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].to, "going to");
  EXPECT_EQ((*r)[1].from, "um");
  auto none = parse_text_rules_json("[]");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST(TextRulesParse, BadJsonIsAnInvalidArgumentOnTextRules) {
  const std::string long_text(201, 'x');
  for (const std::string& bad :
       {std::string("[{\"from\": \"a\""), std::string("{\"from\": \"a\", \"to\": \"b\"}"), std::string("\"a => b\""),
        std::string("[1]"), std::string("[{\"to\": \"b\"}]"), std::string("[{\"from\": \"a\"}]"),
        std::string("[{\"from\": 3, \"to\": \"b\"}]"), std::string("[{\"from\": \"a\", \"to\": null}]"),
        std::string("[{\"from\": \"  \", \"to\": \"b\"}]"),
        "[{\"from\": \"" + long_text + "\", \"to\": \"b\"}]"}) {
    auto r = parse_text_rules_json(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << bad;
    EXPECT_EQ(r.error().param, "text_rules") << bad;
    EXPECT_FALSE(r.error().message.empty());
  }
}

TEST(TextRulesParse, JsonRuleCountIsCapped) {
  std::string json = "[";
  for (int i = 0; i < 1001; ++i) json += std::string(i ? "," : "") + R"({"from":"a","to":"b"})";
  json += "]";
  auto r = parse_text_rules_json(json);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().param, "text_rules");
  json = "[" + std::string(R"({"from":"a","to":"b"})") + "]";
  EXPECT_TRUE(parse_text_rules_json(json).ok());
}

// ---- applying ----

TEST(TextRulesApply, WholeWordsCaseInsensitiveMarksKept) {
  const std::vector<TextRule> rules = {{"gonna", "going to"}};
  EXPECT_EQ(run_rules("we are gonna win", rules), "we|are|going to|win");
  EXPECT_EQ(run_rules("we are GONNA, win", rules), "we|are|going to,|win");
  EXPECT_EQ(run_rules("gonnas are not", rules), "gonnas|are|not");  // whole words only
  EXPECT_EQ(run_rules("\"gonna\" he said", rules), "\"going to\"|he|said");
}

TEST(TextRulesApply, Phrases) {
  const std::vector<TextRule> rules = {{"new york city", "NYC"}};
  EXPECT_EQ(run_rules("I love New York City.", rules), "I|love|NYC.");
  EXPECT_EQ(run_rules("new york is big", rules), "new|york|is|big");
  EXPECT_EQ(run_rules("New York, City", rules), "New|York,|City");  // a mark inside is not matched over
}

TEST(TextRulesApply, MergedWordTakesTimesAndLowestConfidence) {
  std::vector<Word> in = rules_words("we like new york city", "A");
  in[3].confidence = 0.2f;
  std::vector<Word> out = apply_text_rules(in, {{"new york city", "NYC"}});
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[2].text, "NYC");
  EXPECT_DOUBLE_EQ(out[2].start, 2.0);
  EXPECT_DOUBLE_EQ(out[2].end, 4.5);
  EXPECT_FLOAT_EQ(out[2].confidence, 0.2f);
  EXPECT_EQ(out[2].speaker, "A");
}

TEST(TextRulesApply, NeverSpansTwoSpeakers) {
  std::vector<Word> in = rules_words("new york");
  in[0].speaker = "A";
  in[1].speaker = "B";
  EXPECT_EQ(rules_join(apply_text_rules(in, {{"new york", "NYC"}})), "new|york");
}

TEST(TextRulesApply, SentenceCapital) {
  const std::vector<TextRule> rules = {{"gonna", "going to"}};
  EXPECT_EQ(run_rules("Gonna win. Gonna lose", rules), "Going to|win.|Going to|lose");
  // A capital that is not a sentence start does not carry over; a capital in `to` is kept.
  EXPECT_EQ(run_rules("we Gonna win", rules), "we|going to|win");
  EXPECT_EQ(run_rules("the acme corp", {{"acme corp", "ACME Corp."}}), "the|ACME Corp.");
  EXPECT_EQ(run_rules("It is acme corp.", {{"acme corp", "ACME Corp."}}), "It|is|ACME Corp.");  // no ".."
}

TEST(TextRulesApply, EmptyToDeletesAndMovesMarkAndCapital) {
  const std::vector<TextRule> rules = {{"you know", ""}};
  EXPECT_EQ(run_rules("it was good you know.", rules), "it|was|good.");
  EXPECT_EQ(run_rules("You know we won", rules), "We|won");
  std::vector<Word> out = apply_text_rules(rules_words("so you know we won"), rules);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_DOUBLE_EQ(out[1].start, 3.0);  // "we" keeps its own times
}

TEST(TextRulesApply, RulesApplyInOrderAndSeeEarlierReplacements) {
  const std::vector<TextRule> rules = {{"ny", "new york"}, {"new york", "New York"}, {"york", "nope"}};
  EXPECT_EQ(run_rules("I love ny", rules), "I|love|New York");
}

// ---- fillers ----

TEST(FillersRemove, DropsFillersMovingMarksAndCapitals) {
  auto run = [](const std::string& text) { return rules_join(remove_fillers(rules_words(text))); };
  EXPECT_EQ(run("Um, so we went."), "So|we|went.");
  EXPECT_EQ(run("We went, uh."), "We|went.");
  EXPECT_EQ(run("so um we uh went"), "so|we|went");
  EXPECT_EQ(run("Yes. Hmm. Okay"), "Yes.|Okay");
  EXPECT_EQ(run("We won. Uh, yes"), "We|won.|Yes");  // a comma never replaces a sentence end
  EXPECT_EQ(run("I er think MHM, ah"), "I|think,");
  EXPECT_EQ(run("umbrella and hummus"), "umbrella|and|hummus");
}

TEST(FillersRemove, KeepsTimesAndSpeakers) {
  std::vector<Word> in = rules_words("Um, hello there uh.");
  in[0].speaker = "A";
  in[1].speaker = "A";
  in[2].speaker = "A";
  in[3].speaker = "B";  // "uh." of another speaker gives its mark to nobody
  std::vector<Word> out = remove_fillers(in);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].text, "Hello");
  EXPECT_DOUBLE_EQ(out[0].start, 1.0);
  EXPECT_EQ(out[1].text, "there");
  EXPECT_DOUBLE_EQ(out[1].end, 2.5);
}

// ---- profanity ----

TEST(ProfanityFilter, MasksKeepingFirstLetterAndMarks) {
  std::vector<Word> w = rules_words("fuck, this Fucking bullshit ass. Shit!");
  filter_profanity(w);
  EXPECT_EQ(rules_join(w), "f***,|this|F******|b*******|a**.|S***!");
  EXPECT_DOUBLE_EQ(w[2].start, 2.0);
}

TEST(ProfanityFilter, LeavesInnocentWords) {
  const std::string clean = "class assume cocktail Scunthorpe Dickens title hello passes bassist";
  std::vector<Word> w = rules_words(clean);
  filter_profanity(w);
  EXPECT_EQ(rules_join(w), "class|assume|cocktail|Scunthorpe|Dickens|title|hello|passes|bassist");
}

TEST(ProfanityFilter, MasksInsideMultiWordText) {
  std::vector<Word> w = {Word{"what the fuck.", 0.0, 1.0, 1.0f, "A"}};
  filter_profanity(w);
  EXPECT_EQ(w[0].text, "what the f***.");
}

}  // namespace
}  // namespace vox
