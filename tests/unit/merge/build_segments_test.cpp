#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "vox/pipeline/merge.h"

namespace vox {
namespace {

Word w(std::string text, double start, double end, std::string speaker = "", float confidence = 1.0f) {
  return Word{std::move(text), start, end, confidence, std::move(speaker)};
}

std::vector<std::string> texts(const std::vector<Segment>& segments) {
  std::vector<std::string> out;
  for (const auto& s : segments) out.push_back(s.text);
  return out;
}

TEST(BuildSegments, EmptyInputGivesNoSegments) { EXPECT_TRUE(build_segments({}).empty()); }

TEST(BuildSegments, OneSegmentWithFieldsFromItsWords) {
  auto segments = build_segments({w("Hello", 0.5, 0.9, "", 0.5f), w(" world ", 1.0, 1.6, "", 1.0f)});
  ASSERT_EQ(segments.size(), 1u);
  const Segment& s = segments[0];
  EXPECT_EQ(s.id, 0);
  EXPECT_EQ(s.text, "Hello world");
  EXPECT_DOUBLE_EQ(s.start, 0.5);
  EXPECT_DOUBLE_EQ(s.end, 1.6);
  EXPECT_NEAR(s.avg_logprob, (std::log(0.5) + std::log(1.0)) / 2, 1e-9);
  EXPECT_EQ(s.no_speech_prob, 0.0);
  ASSERT_EQ(s.words.size(), 2u);
  EXPECT_EQ(s.words[1].text, "world");
}

TEST(BuildSegments, SpeakerChangeStartsASegment) {
  auto segments = build_segments({w("a", 0.0, 0.2, "A"), w("b", 0.3, 0.5, "A"), w("c", 0.6, 0.8, "B"),
                                  w("d", 0.9, 1.0, "A")});
  EXPECT_EQ(texts(segments), (std::vector<std::string>{"a b", "c", "d"}));
  EXPECT_EQ(segments[1].speaker, "B");
  EXPECT_EQ(segments[2].speaker, "A");
  for (size_t i = 0; i < segments.size(); ++i) EXPECT_EQ(segments[i].id, int(i));
}

TEST(BuildSegments, LongPauseStartsASegment) {
  SegmentRules rules;
  rules.max_pause_s = 1.0;
  auto segments = build_segments({w("a", 0.0, 0.5), w("b", 1.4, 1.6), w("c", 2.7, 3.0)}, rules);
  // 0.9 s pause: same segment; 1.1 s pause: a new one.
  EXPECT_EQ(texts(segments), (std::vector<std::string>{"a b", "c"}));
}

TEST(BuildSegments, PauseIsMeasuredFromTheLatestEndSoFar) {
  // "long" ends at 3.0 even though "x" (which starts later) ends at 1.0.
  auto segments = build_segments({w("long", 0.0, 3.0), w("x", 0.5, 1.0), w("y", 3.5, 3.8)});
  EXPECT_EQ(texts(segments), (std::vector<std::string>{"long x y"}));
}

TEST(BuildSegments, MaxLengthCutsAtAWordBoundary) {
  SegmentRules rules;
  rules.max_segment_s = 5.0;
  std::vector<Word> words;
  for (int i = 0; i < 12; ++i) words.push_back(w("w" + std::to_string(i), i * 1.0, i * 1.0 + 0.8));
  auto segments = build_segments(words, rules);
  ASSERT_GE(segments.size(), 2u);
  size_t total = 0;
  for (const auto& s : segments) {
    EXPECT_LE(s.end - s.start, 5.0 + 1e-9) << s.text;
    total += s.words.size();
  }
  EXPECT_EQ(total, 12u);
  EXPECT_EQ(texts(segments)[0], "w0 w1 w2 w3 w4");
}

TEST(BuildSegments, MaxLengthPrefersASentenceEndNearby) {
  SegmentRules rules;
  rules.max_segment_s = 5.0;
  std::vector<Word> words = {w("One", 0.0, 0.4), w("two", 0.5, 0.9),  w("three", 1.0, 1.4),
                             w("done.", 2.2, 2.6), w("And", 3.5, 3.9), w("more", 4.0, 4.4),
                             w("words", 4.5, 4.9), w("here", 5.0, 5.4)};
  auto segments = build_segments(words, rules);
  EXPECT_EQ(texts(segments), (std::vector<std::string>{"One two three done.", "And more words here"}));
}

TEST(BuildSegments, SentenceEndTooEarlyIsNotUsed) {
  SegmentRules rules;
  rules.max_segment_s = 10.0;
  std::vector<Word> words = {w("Hi.", 0.0, 0.4)};
  for (int i = 1; i <= 12; ++i) words.push_back(w("x" + std::to_string(i), i * 0.9, i * 0.9 + 0.5));
  auto segments = build_segments(words, rules);
  ASSERT_GE(segments.size(), 2u);
  // Cutting after "Hi." would leave a 0.4 s segment; the cut happens at the length limit instead.
  EXPECT_GT(segments[0].words.size(), 5u);
}

TEST(BuildSegments, DropsEmptyWordsAndSortsByStart) {
  auto segments = build_segments({w("b", 1.0, 1.2), w("  ", 0.5, 0.6), w("a", 0.0, 0.3), w("", 2.0, 2.0)});
  EXPECT_EQ(texts(segments), (std::vector<std::string>{"a b"}));
}

TEST(BuildSegments, ZeroConfidenceDoesNotMakeInfinity) {
  auto segments = build_segments({w("a", 0.0, 0.3, "", 0.0f), w("b", 0.4, 0.5, "", NAN)});
  ASSERT_EQ(segments.size(), 1u);
  EXPECT_TRUE(std::isfinite(segments[0].avg_logprob));
  EXPECT_LT(segments[0].avg_logprob, -10);
}

TEST(FinalizeTranscript, JoinsTextsAndNumbersSegments) {
  Transcript t;
  t.segments = build_segments({w("Hello", 0.0, 0.3, "A"), w("there.", 0.4, 0.8, "A"), w("Hi!", 1.0, 1.3, "B")});
  t.segments[0].id = 7;
  Segment empty;
  t.segments.push_back(empty);
  finalize_transcript(t);
  EXPECT_EQ(t.text, "Hello there. Hi!");
  for (size_t i = 0; i < t.segments.size(); ++i) EXPECT_EQ(t.segments[i].id, int(i));
}

TEST(FinalizeTranscript, EmptyTranscriptHasEmptyText) {
  Transcript t;
  t.text = "stale";
  finalize_transcript(t);
  EXPECT_EQ(t.text, "");
}

}  // namespace
}  // namespace vox
