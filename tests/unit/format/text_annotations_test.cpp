// The text stage's results in the writers: present only when asked for, beside OpenAI's fields.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "vox/format/writers.h"

namespace vox {
namespace {

Transcript plain() {
  Transcript t;
  t.duration = 4;
  Segment s;
  s.start = 0;
  s.end = 3;
  s.text = "It works. Thank you.";
  s.words = {{"It", 0, 0.4}, {"works.", 0.5, 1.0}, {"Thank", 2.0, 2.4}, {"you.", 2.5, 3.0}};
  t.segments = {s};
  t.text = s.text;
  return t;
}

Transcript annotated() {
  Transcript t = plain();
  t.paragraphs = {{0, 1.0, "", "It works.", {{0, 1.0, "It works."}}, Sentiment{"positive", 0.44}},
                  {2.0, 3.0, "", "Thank you.", {{2.0, 3.0, "Thank you."}}, Sentiment{"positive", 0.36}}};
  t.entities = {{"number", "42", 0.5, 1.0, ""}};
  t.sentiment = Sentiment{"positive", 0.4};
  return t;
}

TEST(TextAnnotations, AbsentUnlessFound) {
  for (auto f : {OutputFormat::kJson, OutputFormat::kVerboseJson, OutputFormat::kDiarizedJson}) {
    auto j = nlohmann::json::parse(write_transcript(plain(), f, {}));
    EXPECT_FALSE(j.contains("paragraphs")) << output_format_name(f);
    EXPECT_FALSE(j.contains("entities")) << output_format_name(f);
    EXPECT_FALSE(j.contains("sentiment")) << output_format_name(f);
  }
}

TEST(TextAnnotations, VerboseAndDiarizedJsonCarryThem) {
  for (auto f : {OutputFormat::kJson, OutputFormat::kVerboseJson, OutputFormat::kDiarizedJson}) {
    auto j = nlohmann::json::parse(write_transcript(annotated(), f, {}));
    ASSERT_EQ(j["paragraphs"].size(), 2u) << output_format_name(f);
    EXPECT_EQ(j["paragraphs"][1]["text"], "Thank you.");
    EXPECT_EQ(j["paragraphs"][1]["sentences"][0]["start"], 2.0);
    EXPECT_EQ(j["paragraphs"][0]["sentiment"]["label"], "positive");
    EXPECT_EQ(j["entities"][0]["type"], "number");
    EXPECT_EQ(j["entities"][0]["text"], "42");
    EXPECT_EQ(j["sentiment"]["score"], 0.4);
    EXPECT_TRUE(j.contains("usage"));
  }
}

TEST(TextAnnotations, TextPutsABlankLineBetweenParagraphs) {
  EXPECT_EQ(write_transcript(annotated(), OutputFormat::kText, {}), "It works.\n\nThank you.\n");
  EXPECT_EQ(write_transcript(plain(), OutputFormat::kText, {}), "It works. Thank you.\n");
}

}  // namespace
}  // namespace vox
