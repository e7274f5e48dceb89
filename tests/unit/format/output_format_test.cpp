#include <string>

#include <gtest/gtest.h>

#include "sample_transcripts.h"
#include "vox/format/writers.h"

namespace vox {
namespace {

const char* const kNames[] = {"json", "text", "srt", "vtt", "verbose_json", "diarized_json", "rttm"};

TEST(OutputFormat, EveryNameRoundTrips) {
  for (const char* name : kNames) {
    auto f = parse_output_format(name);
    ASSERT_TRUE(f.ok()) << name;
    EXPECT_STREQ(output_format_name(*f), name);
  }
}

TEST(OutputFormat, UnknownNameIsInvalidArgumentListingValidValues) {
  for (const char* bad : {"xml", "", "JSON", "srt ", "verbose-json"}) {
    auto f = parse_output_format(bad);
    ASSERT_FALSE(f.ok()) << bad;
    EXPECT_EQ(f.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(f.error().param, "response_format");
    for (const char* name : kNames) EXPECT_NE(f.error().message.find(name), std::string::npos) << name;
  }
}

TEST(OutputFormat, ContentTypes) {
  auto type = [](const char* name) { return std::string(output_format_content_type(*parse_output_format(name))); };
  EXPECT_EQ(type("json"), "application/json");
  EXPECT_EQ(type("verbose_json"), "application/json");
  EXPECT_EQ(type("diarized_json"), "application/json");
  EXPECT_EQ(type("text"), "text/plain; charset=utf-8");
  EXPECT_EQ(type("srt"), "application/x-subrip");
  EXPECT_EQ(type("vtt"), "text/vtt");
  EXPECT_EQ(type("rttm").rfind("text/plain", 0), 0u);
}

TEST(OutputFormat, OnlyJsonAndTextHideSpeakers) {
  for (const char* name : kNames) {
    bool hides = std::string(name) == "json" || std::string(name) == "text";
    EXPECT_EQ(output_format_shows_speakers(*parse_output_format(name)), !hides) << name;
  }
}

TEST(OutputFormat, WriteTranscriptDispatchesToEachWriter) {
  Transcript t = test::diarized_transcript();
  WriteOptions o;
  o.word_timestamps = true;
  o.recording_id = "rec";
  EXPECT_EQ(write_transcript(t, OutputFormat::kJson, o), write_json(t));
  EXPECT_EQ(write_transcript(t, OutputFormat::kText, o), write_text(t));
  EXPECT_EQ(write_transcript(t, OutputFormat::kSrt, o), write_srt(t));
  EXPECT_EQ(write_transcript(t, OutputFormat::kVtt, o), write_vtt(t));
  EXPECT_EQ(write_transcript(t, OutputFormat::kVerboseJson, o), write_verbose_json(t, o));
  EXPECT_EQ(write_transcript(t, OutputFormat::kDiarizedJson, o), write_diarized_json(t));
  EXPECT_EQ(write_transcript(t, OutputFormat::kRttm, o), write_rttm(t, o));
  // The writers really differ, so the comparisons above can tell a wrong dispatch apart.
  EXPECT_NE(write_srt(t), write_vtt(t));
  EXPECT_NE(write_json(t), write_diarized_json(t));
}

}  // namespace
}  // namespace vox
