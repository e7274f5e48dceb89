#include <gtest/gtest.h>

#include "vox/pipeline/request_fields.h"

namespace vox {
namespace {

bool is_engine(const std::string& n) { return n == "sphinx"; }

TEST(RequestFields, OpenAiFields) {
  TranscriptionOptions o;
  ASSERT_TRUE(set_transcription_field(o, "model", "whisper-1").ok());
  ASSERT_TRUE(set_transcription_field(o, "response_format", "verbose_json").ok());
  ASSERT_TRUE(set_transcription_field(o, "timestamp_granularities[]", "word").ok());
  ASSERT_TRUE(set_transcription_field(o, "language", "en").ok());
  ASSERT_TRUE(set_transcription_field(o, "temperature", "0.2").ok());
  ASSERT_TRUE(finish_transcription_options(o, is_engine).ok());
  EXPECT_EQ(o.request.engine, "");  // whisper-1 → the configured default
  EXPECT_EQ(o.format, OutputFormat::kVerboseJson);
  EXPECT_TRUE(o.write.word_timestamps);
  EXPECT_TRUE(o.request.diarize);  // verbose_json can show speakers
  EXPECT_FLOAT_EQ(o.request.recognize.temperature, 0.2f);
}

TEST(RequestFields, EngineNamePicksEngineAndDiarizeDefaults) {
  TranscriptionOptions o;
  ASSERT_TRUE(set_transcription_field(o, "model", "sphinx").ok());
  ASSERT_TRUE(finish_transcription_options(o, is_engine).ok());
  EXPECT_EQ(o.request.engine, "sphinx");
  EXPECT_FALSE(o.request.diarize);  // json cannot show speakers
  TranscriptionOptions t;
  ASSERT_TRUE(set_transcription_field(t, "response_format", "text").ok());
  ASSERT_TRUE(set_transcription_field(t, "diarize", "true").ok());
  ASSERT_TRUE(finish_transcription_options(t, is_engine).ok());
  EXPECT_TRUE(t.request.diarize);  // asked for explicitly
}

TEST(RequestFields, SpeakerHints) {
  TranscriptionOptions o;
  ASSERT_TRUE(set_transcription_field(o, "num-speakers", "3").ok());  // CLI spelling
  ASSERT_TRUE(set_transcription_field(o, "max_speakers", "2").ok());
  Status s = finish_transcription_options(o, is_engine);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().param, "num_speakers");
  EXPECT_FALSE(set_transcription_field(o, "min_speakers", "0").ok());
  EXPECT_FALSE(set_transcription_field(o, "max_speakers", "many").ok());
}

TEST(RequestFields, BadValuesAreInvalidArgument) {
  TranscriptionOptions o;
  auto e = set_transcription_field(o, "response_format", "docx");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(e.error().param, "response_format");
  EXPECT_FALSE(set_transcription_field(o, "temperature", "7").ok());
  EXPECT_FALSE(set_transcription_field(o, "timestamp_granularities[]", "char").ok());
  EXPECT_FALSE(set_transcription_field(o, "diarize", "perhaps").ok());
  EXPECT_FALSE(set_transcription_field(o, "bogus", "1").ok());
}

TEST(RequestFields, ChunkingStrategy) {
  TranscriptionOptions o;
  ASSERT_TRUE(set_transcription_field(o, "chunking_strategy", "auto").ok());
  ASSERT_TRUE(set_transcription_field(o, "chunking_strategy",
                                      R"({"type":"server_vad","threshold":0.3,"prefix_padding_ms":100,"silence_duration_ms":700})")
                  .ok());
  EXPECT_FLOAT_EQ(o.request.vad_options.threshold, 0.3f);
  EXPECT_EQ(o.request.vad_options.prefix_padding_ms, 100);
  EXPECT_EQ(o.request.vad_options.silence_duration_ms, 700);
  EXPECT_FALSE(set_transcription_field(o, "chunking_strategy", "{not json").ok());
  EXPECT_FALSE(set_transcription_field(o, "chunking_strategy", R"({"threshold":3})").ok());
  EXPECT_FALSE(set_transcription_field(o, "chunking_strategy", R"({"type":"semantic"})").ok());
}

}  // namespace
}  // namespace vox
