#include <gtest/gtest.h>

#include "vox/text/paragraphs.h"

namespace vox {
namespace {

Word w(std::string text, double start, double end, std::string speaker = "A") {
  return Word{std::move(text), start, end, 1.0f, std::move(speaker)};
}

TEST(SentenceEnd, MarksAndClosingQuotes) {
  EXPECT_TRUE(ends_sentence("done."));
  EXPECT_TRUE(ends_sentence("really?"));
  EXPECT_TRUE(ends_sentence("wow!"));
  EXPECT_TRUE(ends_sentence("said.\""));
  EXPECT_TRUE(ends_sentence("(aside.)"));
  EXPECT_FALSE(ends_sentence("well,"));
  EXPECT_FALSE(ends_sentence("Mr"));
  EXPECT_FALSE(ends_sentence(""));
  EXPECT_FALSE(ends_sentence("\""));
}

TEST(Paragraphs, EmptyInput) { EXPECT_TRUE(build_paragraphs({}).empty()); }

TEST(Paragraphs, SpeakerChangeStartsAParagraphAndEndsTheSentence) {
  auto ps = build_paragraphs({w("Hello", 0.0, 0.4), w("there", 0.5, 0.9), w("Hi.", 1.2, 1.5, "B"),
                              w("How", 1.7, 1.9, "B"), w("are", 2.0, 2.2, "B"), w("you?", 2.3, 2.6, "B")});
  ASSERT_EQ(ps.size(), 2u);
  EXPECT_EQ(ps[0].speaker, "A");
  EXPECT_EQ(ps[0].text, "Hello there");
  ASSERT_EQ(ps[0].sentences.size(), 1u);
  EXPECT_DOUBLE_EQ(ps[0].start, 0.0);
  EXPECT_DOUBLE_EQ(ps[0].end, 0.9);
  EXPECT_EQ(ps[1].speaker, "B");
  ASSERT_EQ(ps[1].sentences.size(), 2u);
  EXPECT_EQ(ps[1].sentences[0].text, "Hi.");
  EXPECT_EQ(ps[1].sentences[1].text, "How are you?");
  EXPECT_DOUBLE_EQ(ps[1].sentences[1].start, 1.7);
  EXPECT_DOUBLE_EQ(ps[1].sentences[1].end, 2.6);
  EXPECT_EQ(ps[1].text, "Hi. How are you?");
}

TEST(Paragraphs, LongPauseStartsAParagraph) {
  auto ps = build_paragraphs({w("One.", 0.0, 0.5), w("Two.", 0.8, 1.2), w("Three.", 4.0, 4.5)});
  ASSERT_EQ(ps.size(), 2u);
  EXPECT_EQ(ps[0].text, "One. Two.");
  EXPECT_EQ(ps[1].text, "Three.");
}

TEST(Paragraphs, AFullParagraphStartsANewOneAtASentenceEnd) {
  ParagraphRules rules;
  rules.max_sentences = 2;
  std::vector<Word> words;
  for (int i = 0; i < 5; ++i) {
    words.push_back(w("Sentence", i * 1.0, i * 1.0 + 0.4));
    words.push_back(w("end.", i * 1.0 + 0.5, i * 1.0 + 0.9));
  }
  auto ps = build_paragraphs(words, rules);
  ASSERT_EQ(ps.size(), 3u);
  EXPECT_EQ(ps[0].sentences.size(), 2u);
  EXPECT_EQ(ps[2].sentences.size(), 1u);
  for (const auto& p : ps) EXPECT_TRUE(ends_sentence(p.sentences.back().text));
}

TEST(Paragraphs, WordLimitKeepsWholeSentences) {
  ParagraphRules rules;
  rules.max_words = 5;
  auto ps = build_paragraphs({w("a", 0, 0.1), w("b", 0.2, 0.3), w("c.", 0.4, 0.5), w("d", 0.6, 0.7), w("e", 0.8, 0.9),
                              w("f.", 1.0, 1.1)},
                             rules);
  ASSERT_EQ(ps.size(), 2u);
  EXPECT_EQ(ps[0].text, "a b c.");
  EXPECT_EQ(ps[1].text, "d e f.");
}

}  // namespace
}  // namespace vox
