// The JSON writers' schemas: required keys with the right JSON types, UTF-8 safety, rounding.
#include <cmath>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sample_transcripts.h"
#include "vox/format/language_names.h"
#include "vox/format/writers.h"

namespace vox {
namespace {

using nlohmann::json;

void expect_usage(const json& j, long long seconds) {
  ASSERT_TRUE(j.contains("usage"));
  EXPECT_EQ(j["usage"]["type"], "duration");
  ASSERT_TRUE(j["usage"]["seconds"].is_number_integer());
  EXPECT_EQ(j["usage"]["seconds"].get<long long>(), seconds);
}

TEST(VerboseJsonSchema, EveryRequiredKeyWithTheRightType) {
  WriteOptions o;
  o.word_timestamps = true;
  for (bool diarized : {false, true}) {
    Transcript t = diarized ? test::diarized_transcript() : test::plain_transcript();
    json j = json::parse(write_verbose_json(t, o));
    EXPECT_EQ(j["task"], "transcribe");
    EXPECT_TRUE(j["language"].is_string());
    EXPECT_TRUE(j["duration"].is_number());
    EXPECT_TRUE(j["text"].is_string());
    ASSERT_TRUE(j["segments"].is_array());
    ASSERT_EQ(j["segments"].size(), 2u);
    for (const auto& s : j["segments"]) {
      EXPECT_TRUE(s["id"].is_number_integer());
      EXPECT_TRUE(s["seek"].is_number_integer());
      for (const char* k : {"start", "end", "temperature", "avg_logprob", "compression_ratio", "no_speech_prob"})
        EXPECT_TRUE(s[k].is_number()) << k;
      EXPECT_TRUE(s["text"].is_string());
      ASSERT_TRUE(s["tokens"].is_array());
      for (const auto& tok : s["tokens"]) EXPECT_TRUE(tok.is_number_integer());
      EXPECT_EQ(s.contains("speaker"), diarized);
      if (diarized) {
        EXPECT_TRUE(s["speaker"].is_string());
      }
    }
    ASSERT_TRUE(j["words"].is_array());
    ASSERT_EQ(j["words"].size(), 5u);
    for (const auto& w : j["words"]) {
      EXPECT_TRUE(w["word"].is_string());
      EXPECT_TRUE(w["start"].is_number());
      EXPECT_TRUE(w["end"].is_number());
      EXPECT_EQ(w.contains("speaker"), diarized);
    }
    expect_usage(j, 6);
  }
}

TEST(VerboseJsonSchema, WordsOnlyWhenAsked) {
  json j = json::parse(write_verbose_json(test::plain_transcript(), {}));
  EXPECT_FALSE(j.contains("words"));
  EXPECT_TRUE(j.contains("segments"));
}

TEST(VerboseJsonSchema, TimesAreRoundedToMilliseconds) {
  Transcript t = test::plain_transcript();
  t.duration = 5.123456789;
  t.segments[0].start = 0.1 + 0.2;  // 0.30000000000000004
  t.segments[0].words[0].end = 1.0 / 3.0;
  WriteOptions o;
  o.word_timestamps = true;
  std::string out = write_verbose_json(t, o);
  EXPECT_NE(out.find(R"("duration":5.123,)"), std::string::npos) << out;
  EXPECT_NE(out.find(R"("start":0.3,)"), std::string::npos) << out;
  EXPECT_NE(out.find(R"("end":0.333})"), std::string::npos) << out;
}

TEST(VerboseJsonSchema, NonFiniteNumbersBecomeZeroNotNull) {
  Transcript t = test::plain_transcript();
  t.segments[0].avg_logprob = -INFINITY;  // log(0) from an engine
  t.segments[0].end = NAN;
  json j = json::parse(write_verbose_json(t, {}));
  EXPECT_TRUE(j["segments"][0]["avg_logprob"].is_number());
  EXPECT_TRUE(j["segments"][0]["end"].is_number());
}

TEST(DiarizedJsonSchema, SegmentFields) {
  json j = json::parse(write_diarized_json(test::diarized_transcript()));
  EXPECT_EQ(j["task"], "transcribe");
  EXPECT_TRUE(j["duration"].is_number());
  EXPECT_TRUE(j["text"].is_string());
  int n = 0;
  for (const auto& s : j["segments"]) {
    char id[16];
    std::snprintf(id, sizeof id, "seg_%03d", ++n);
    EXPECT_EQ(s["type"], "transcript.text.segment");
    EXPECT_EQ(s["id"], id);
    EXPECT_TRUE(s["start"].is_number() && s["end"].is_number());
    EXPECT_TRUE(s["text"].is_string() && s["speaker"].is_string());
  }
  EXPECT_EQ(n, 2);
  expect_usage(j, 6);
}

TEST(JsonWriters, InvalidUtf8IsReplacedNotThrown) {
  Transcript t = test::plain_transcript();
  t.text = "bad \xff\xfe bytes \xc3";
  t.segments[0].text = "\xe2\x82";
  t.segments[0].words[0].text = "\x80";
  t.segments[0].speaker = "\xff";
  WriteOptions o;
  o.word_timestamps = true;
  for (const std::string& out : {write_json(t), write_verbose_json(t, o), write_diarized_json(t)}) {
    json j = json::parse(out);  // throws on invalid UTF-8
    EXPECT_NE(j["text"].get<std::string>().find("\xEF\xBF\xBD"), std::string::npos);
  }
}

TEST(JsonWriters, UsageRoundsDurationUp) {
  Transcript t = test::empty_transcript();
  for (auto [duration, seconds] : {std::pair{0.0, 0LL}, {0.2, 1LL}, {3.0, 3LL}, {3.0000000001, 3LL}, {59.01, 60LL}}) {
    t.duration = duration;
    expect_usage(json::parse(write_json(t)), seconds);
  }
}

TEST(LanguageNames, IsoCodesBecomeLowercaseEnglishNames) {
  EXPECT_EQ(language_full_name("en"), "english");
  EXPECT_EQ(language_full_name("EN"), "english");
  EXPECT_EQ(language_full_name("en-US"), "english");
  EXPECT_EQ(language_full_name("pt_BR"), "portuguese");
  EXPECT_EQ(language_full_name("zh"), "chinese");
  EXPECT_EQ(language_full_name("de"), "german");
  EXPECT_EQ(language_full_name("haw"), "hawaiian");
  EXPECT_EQ(language_full_name("English"), "english");
  EXPECT_EQ(language_full_name("xx"), "xx");
  EXPECT_EQ(language_full_name(""), "");
}

TEST(LanguageNames, VerboseJsonDefaultsToEnglish) {
  Transcript t = test::plain_transcript();
  t.language = "";
  EXPECT_EQ(json::parse(write_verbose_json(t, {}))["language"], "english");
  t.language = "fr";
  EXPECT_EQ(json::parse(write_verbose_json(t, {}))["language"], "french");
}

}  // namespace
}  // namespace vox
