#include <gtest/gtest.h>

#include "vox/format/writers.h"
#include "vox/jobs/transcript_codec.h"

namespace vox::jobs {
namespace {

Transcript sample() {
  Transcript t;
  t.language = "en";
  t.duration = 12.345;
  t.text = "hello there general kenobi";
  t.engine = "sphinx";
  t.diarized = true;
  Segment a;
  a.id = 0;
  a.start = 0.5;
  a.end = 1.75;
  a.text = "hello there";
  a.speaker = "A";
  a.avg_logprob = -0.25;
  a.words = {{"hello", 0.5, 1.0, 0.9f, "A"}, {"there", 1.0, 1.75, 0.8f, "A"}};
  Segment b;
  b.id = 1;
  b.start = 2.0;
  b.end = 3.5;
  b.text = "general kenobi \xc3\xa9";  // UTF-8 survives
  b.speaker = "B";
  b.words = {{"general", 2.0, 2.6, 1.0f, "B"}, {"kenobi", 2.6, 3.5, 0.7f, "B"}};
  t.segments = {a, b};
  return t;
}

TEST(TranscriptCodec, RoundTripsEveryField) {
  Transcript t = sample();
  auto back = decode_transcript(encode_transcript(t));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->language, t.language);
  EXPECT_DOUBLE_EQ(back->duration, t.duration);
  EXPECT_EQ(back->text, t.text);
  EXPECT_EQ(back->engine, t.engine);
  EXPECT_TRUE(back->diarized);
  ASSERT_EQ(back->segments.size(), 2u);
  EXPECT_EQ(back->segments[1].text, t.segments[1].text);
  EXPECT_EQ(back->segments[1].speaker, "B");
  EXPECT_DOUBLE_EQ(back->segments[0].avg_logprob, -0.25);
  ASSERT_EQ(back->segments[0].words.size(), 2u);
  EXPECT_EQ(back->segments[0].words[1].text, "there");
  EXPECT_FLOAT_EQ(back->segments[0].words[0].confidence, 0.9f);
  EXPECT_EQ(back->segments[1].words[0].speaker, "B");
}

TEST(TranscriptCodec, ReRendersLikeTheOriginal) {
  Transcript t = sample();
  auto back = decode_transcript(encode_transcript(t));
  ASSERT_TRUE(back);
  WriteOptions w;
  w.word_timestamps = true;
  for (auto f : {OutputFormat::kSrt, OutputFormat::kVtt, OutputFormat::kVerboseJson, OutputFormat::kText,
                 OutputFormat::kDiarizedJson, OutputFormat::kRttm})
    EXPECT_EQ(write_transcript(*back, f, w), write_transcript(t, f, w)) << output_format_name(f);
}

// A job keeps what the text stage found, so GET /v1/jobs/{id}?format=... shows it again.
TEST(TranscriptCodec, RoundTripsParagraphsEntitiesAndSentiment) {
  Transcript t = sample();
  Paragraph p;
  p.start = 0.5;
  p.end = 1.75;
  p.speaker = "A";
  p.text = "Hello there.";
  p.sentences = {{0.5, 1.75, "Hello there."}};
  p.sentiment = Sentiment{"positive", 0.4};
  t.paragraphs = {p};
  t.entities = {{"person", "Kenobi", 2.6, 3.5, "B"}};
  t.sentiment = Sentiment{"negative", -0.25};
  auto back = decode_transcript(encode_transcript(t));
  ASSERT_TRUE(back) << back.error().message;
  ASSERT_EQ(back->paragraphs.size(), 1u);
  EXPECT_EQ(back->paragraphs[0].text, "Hello there.");
  EXPECT_EQ(back->paragraphs[0].speaker, "A");
  ASSERT_EQ(back->paragraphs[0].sentences.size(), 1u);
  EXPECT_DOUBLE_EQ(back->paragraphs[0].sentences[0].end, 1.75);
  ASSERT_TRUE(back->paragraphs[0].sentiment);
  EXPECT_EQ(back->paragraphs[0].sentiment->label, "positive");
  ASSERT_EQ(back->entities.size(), 1u);
  EXPECT_EQ(back->entities[0].type, "person");
  EXPECT_DOUBLE_EQ(back->entities[0].start, 2.6);
  ASSERT_TRUE(back->sentiment);
  EXPECT_DOUBLE_EQ(back->sentiment->score, -0.25);
  WriteOptions w;
  for (auto f : {OutputFormat::kVerboseJson, OutputFormat::kDiarizedJson, OutputFormat::kJson, OutputFormat::kText})
    EXPECT_EQ(write_transcript(*back, f, w), write_transcript(t, f, w)) << output_format_name(f);
}

TEST(TranscriptCodec, RejectsForeignText) {
  EXPECT_FALSE(decode_transcript("not json"));
  EXPECT_FALSE(decode_transcript("{\"text\": 1}"));
  EXPECT_FALSE(decode_transcript("{\"segments\": [{\"start\": \"soon\"}]}"));  // wrong type, no throw
}

}  // namespace
}  // namespace vox::jobs
