#include <gtest/gtest.h>

#include "vox/format/speaker_names.h"
#include "vox/format/writers.h"

namespace vox {
namespace {

Transcript two_speakers() {
  Transcript t;
  t.duration = 3;
  t.diarized = true;
  Segment a;
  a.start = 0;
  a.end = 1;
  a.text = "Hello.";
  a.speaker = "A";
  a.words = {{"Hello.", 0, 1, 1.0f, "A"}};
  Segment b = a;
  b.start = 1.5;
  b.end = 2.5;
  b.text = "Hi.";
  b.speaker = "B";
  b.words = {{"Hi.", 1.5, 2.5, 1.0f, "B"}};
  t.segments = {a, b};
  t.paragraphs = {{0, 1, "A", "Hello.", {{0, 1, "Hello."}}, {}}};
  t.entities = {{"person", "Ann", 0, 1, "B"}};
  return t;
}

TEST(SpeakerNames, ParsesAnObject) {
  auto names = parse_speaker_names(R"({"A": "Alice", "B": "Bob", "C": ""})");
  ASSERT_TRUE(names) << names.error().message;
  EXPECT_EQ(names->size(), 2u);  // an emptied name keeps the label
  EXPECT_EQ(names->at("A"), "Alice");
}

TEST(SpeakerNames, RejectsWhatIsNotAnObjectOfStrings) {
  for (const char* bad : {"", "[]", "\"A\"", R"({"A": 1})", "{", R"({"A": null})"}) {
    auto names = parse_speaker_names(bad);
    ASSERT_FALSE(names) << bad;
    EXPECT_EQ(names.error().param, "speaker_names");
  }
  EXPECT_FALSE(parse_speaker_names("{\"A\": \"" + std::string(300, 'x') + "\"}"));
}

TEST(SpeakerNames, RenamesEverySpeakerField) {
  Transcript t = two_speakers();
  rename_speakers(t, {{"A", "Alice"}, {"B", "Bob"}});
  EXPECT_EQ(t.segments[0].speaker, "Alice");
  EXPECT_EQ(t.segments[1].words[0].speaker, "Bob");
  EXPECT_EQ(t.paragraphs[0].speaker, "Alice");
  EXPECT_EQ(t.entities[0].speaker, "Bob");
  std::string srt = write_transcript(t, OutputFormat::kSrt, {});
  EXPECT_NE(srt.find("[Alice] Hello."), std::string::npos) << srt;
  EXPECT_NE(srt.find("[Bob] Hi."), std::string::npos) << srt;
}

TEST(SpeakerNames, UnknownLabelsStay) {
  Transcript t = two_speakers();
  rename_speakers(t, {{"Z", "Zed"}});
  EXPECT_EQ(t.segments[0].speaker, "A");
  EXPECT_EQ(t.segments[1].speaker, "B");
}

}  // namespace
}  // namespace vox
