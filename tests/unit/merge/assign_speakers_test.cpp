#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "vox/pipeline/merge.h"

namespace vox {
namespace {

Word w(double start, double end, std::string text = "w") { return Word{std::move(text), start, end, 1.0f, {}}; }

std::vector<std::string> speakers_of(const std::vector<Word>& words) {
  std::vector<std::string> out;
  for (const auto& x : words) out.push_back(x.speaker);
  return out;
}

TEST(SpeakerLabel, SpreadsheetStyle) {
  EXPECT_EQ(speaker_label(0), "A");
  EXPECT_EQ(speaker_label(1), "B");
  EXPECT_EQ(speaker_label(25), "Z");
  EXPECT_EQ(speaker_label(26), "AA");
  EXPECT_EQ(speaker_label(27), "AB");
  EXPECT_EQ(speaker_label(51), "AZ");
  EXPECT_EQ(speaker_label(52), "BA");
  EXPECT_EQ(speaker_label(26 + 26 * 26), "AAA");
  EXPECT_EQ(speaker_label(-1), "");
}

TEST(AssignSpeakers, LargestOverlapWins) {
  // The word 1.0–2.0 overlaps speaker 3 for 0.3 s and speaker 5 for 0.7 s.
  std::vector<SpeakerTurn> turns = {{0.0, 1.3, 3}, {1.3, 4.0, 5}};
  std::vector<Word> words = {w(0.2, 0.8), w(1.0, 2.0), w(1.1, 1.25)};
  assign_speakers(words, turns);
  EXPECT_EQ(speakers_of(words), (std::vector<std::string>{"A", "B", "A"}));
}

TEST(AssignSpeakers, OverlapIsSummedOverTurnsOfOneSpeaker) {
  // Speaker 0 has two short turns inside the word (0.2 + 0.2 s), speaker 1 one of 0.3 s.
  std::vector<SpeakerTurn> turns = {{0.0, 0.2, 0}, {0.2, 0.5, 1}, {0.5, 0.7, 0}};
  std::vector<Word> words = {w(0.0, 0.7)};
  assign_speakers(words, turns);
  EXPECT_EQ(words[0].speaker, "A");
}

TEST(AssignSpeakers, NearestTurnWhenNoneOverlaps) {
  std::vector<SpeakerTurn> turns = {{1.0, 2.0, 0}, {5.0, 6.0, 1}};
  std::vector<Word> words = {w(0.0, 0.5), w(2.2, 2.4), w(4.5, 4.8), w(7.0, 7.5), w(3.4, 3.6)};
  assign_speakers(words, turns);
  // 3.4–3.6 is 1.4 s after turn 0 and 1.4 s before turn 1: either is acceptable, but it must
  // get one; the others are unambiguous.
  EXPECT_EQ(words[0].speaker, "A");
  EXPECT_EQ(words[1].speaker, "A");
  EXPECT_EQ(words[2].speaker, "B");
  EXPECT_EQ(words[3].speaker, "B");
  EXPECT_FALSE(words[4].speaker.empty());
}

TEST(AssignSpeakers, NearestUsesTheLongestEarlierTurn) {
  // Speaker 7's long turn started first but ends closest to the last word; the turn that started
  // last (speaker 8, ended at 2.0) is 8.5 s away.
  std::vector<SpeakerTurn> turns = {{0.0, 10.0, 7}, {1.0, 2.0, 8}};
  std::vector<Word> words = {w(0.1, 0.5), w(10.5, 11.0)};
  assign_speakers(words, turns);
  EXPECT_EQ(speakers_of(words), (std::vector<std::string>{"A", "A"}));
}

TEST(AssignSpeakers, ZeroLengthWordsInsideATurnGetThatTurn) {
  std::vector<SpeakerTurn> turns = {{0.0, 1.0, 2}, {1.0, 2.0, 4}};
  std::vector<Word> words = {w(0.5, 0.5), w(1.5, 1.5), w(1.0, 1.0)};
  assign_speakers(words, turns);
  EXPECT_EQ(words[0].speaker, "A");
  EXPECT_EQ(words[1].speaker, "B");
  EXPECT_FALSE(words[2].speaker.empty());
}

TEST(AssignSpeakers, RelabelsByFirstAppearanceInTime) {
  // Cluster 9 speaks first, then 0, then 4; words arrive out of order.
  std::vector<SpeakerTurn> turns = {{4.0, 5.0, 4}, {0.0, 1.0, 9}, {2.0, 3.0, 0}};
  std::vector<Word> words = {w(4.2, 4.5), w(2.1, 2.5), w(0.1, 0.5), w(0.6, 0.9)};
  assign_speakers(words, turns);
  EXPECT_EQ(speakers_of(words), (std::vector<std::string>{"C", "B", "A", "A"}));
}

TEST(AssignSpeakers, SpeakersWithoutWordsTakeNoLetter) {
  std::vector<SpeakerTurn> turns = {{0.0, 1.0, 0}, {1.0, 2.0, 1}, {2.0, 3.0, 2}};
  std::vector<Word> words = {w(0.1, 0.5), w(2.1, 2.5)};  // nobody says anything while 1 talks
  assign_speakers(words, turns);
  EXPECT_EQ(speakers_of(words), (std::vector<std::string>{"A", "B"}));
}

TEST(AssignSpeakers, NoTurnsLeavesWordsAlone) {
  std::vector<Word> words = {w(0.0, 1.0)};
  words[0].speaker = "Bob";
  assign_speakers(words, {});
  EXPECT_EQ(words[0].speaker, "Bob");
}

TEST(AssignSpeakers, EveryWordGetsASpeakerWhateverTheTimes) {
  std::vector<SpeakerTurn> turns = {{3.0, 2.0, 1}, {NAN, 1.0, 5}, {10.0, 12.0, 0}};
  std::vector<Word> words = {w(-5, -4), w(NAN, NAN), w(2.5, 2.0), w(1e9, 1e9 + 1), w(11, 11.5)};
  assign_speakers(words, turns);
  for (const auto& x : words) EXPECT_TRUE(x.speaker == "A" || x.speaker == "B") << x.start;
}

TEST(AssignSpeakers, ManyWordsAndTurns) {
  // Alternating 1 s turns of three speakers; each word sits inside one turn.
  std::vector<SpeakerTurn> turns;
  for (int i = 0; i < 3000; ++i) turns.push_back({double(i), double(i + 1), (i * 7) % 3});
  std::vector<Word> words;
  for (int i = 0; i < 3000; ++i) words.push_back(w(i + 0.2, i + 0.6));
  assign_speakers(words, turns);
  const char* expected[3] = {"A", "B", "C"};  // clusters 0, 1, 2 first appear at i = 0, 1, 2
  for (int i = 0; i < 3000; ++i) ASSERT_EQ(words[size_t(i)].speaker, expected[(i * 7) % 3]) << i;
}

}  // namespace
}  // namespace vox
