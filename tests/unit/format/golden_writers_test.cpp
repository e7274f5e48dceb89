// Exact expected output of every writer for small hand-made transcripts.
#include <string>

#include <gtest/gtest.h>

#include "sample_transcripts.h"
#include "vox/format/writers.h"

namespace vox {
namespace {

using test::diarized_transcript;
using test::empty_transcript;
using test::plain_transcript;
using test::unicode_transcript;

TEST(GoldenJson, Plain) {
  EXPECT_EQ(write_json(plain_transcript()),
            R"({"text":"Hello there. How are you?","usage":{"type":"duration","seconds":6}})");
}

TEST(GoldenJson, DiarizedStaysPlainText) {
  EXPECT_EQ(write_json(diarized_transcript()), write_json(plain_transcript()));
}

TEST(GoldenJson, Unicode) {
  EXPECT_EQ(write_json(unicode_transcript()),
            R"({"text":"Grüße aus München — ça va? 日本語 😀 <tag> & co","usage":{"type":"duration","seconds":3}})");
}

TEST(GoldenText, PlainAndDiarizedAreTheSamePlainText) {
  EXPECT_EQ(write_text(plain_transcript()), "Hello there. How are you?\n");
  EXPECT_EQ(write_text(diarized_transcript()), "Hello there. How are you?\n");
  EXPECT_EQ(write_text(unicode_transcript()), "Grüße aus München — ça va? 日本語 😀 <tag> & co\n");
}

TEST(GoldenText, FallsBackToSegmentTextsWhenTextIsUnset) {
  Transcript t = plain_transcript();
  t.text.clear();
  EXPECT_EQ(write_text(t), "Hello there. How are you?\n");
}

TEST(GoldenSrt, Plain) {
  EXPECT_EQ(write_srt(plain_transcript()),
            "1\n00:00:00,500 --> 00:00:02,000\nHello there.\n\n"
            "2\n00:00:02,500 --> 00:00:04,250\nHow are you?\n\n");
}

TEST(GoldenSrt, Diarized) {
  EXPECT_EQ(write_srt(diarized_transcript()),
            "1\n00:00:00,500 --> 00:00:02,000\n[A] Hello there.\n\n"
            "2\n00:00:02,500 --> 00:00:04,250\n[B] How are you?\n\n");
}

// No word timings: the 43-character segment is cut after the sentence end, and the time is
// shared in proportion to characters (27 of 44 → 3 s × 27/44 = 1.841 s).
TEST(GoldenSrt, Unicode) {
  EXPECT_EQ(write_srt(unicode_transcript()),
            "1\n00:00:00,000 --> 00:00:01,841\nGrüße aus München — ça va?\n\n"
            "2\n00:00:01,841 --> 00:00:03,000\n日本語 😀 <tag> & co\n\n");
}

TEST(GoldenVtt, Plain) {
  EXPECT_EQ(write_vtt(plain_transcript()),
            "WEBVTT\n\n"
            "00:00:00.500 --> 00:00:02.000\nHello there.\n\n"
            "00:00:02.500 --> 00:00:04.250\nHow are you?\n\n");
}

TEST(GoldenVtt, DiarizedUsesVoiceSpans) {
  EXPECT_EQ(write_vtt(diarized_transcript()),
            "WEBVTT\n\n"
            "00:00:00.500 --> 00:00:02.000\n<v A>Hello there.</v>\n\n"
            "00:00:02.500 --> 00:00:04.250\n<v B>How are you?</v>\n\n");
}

TEST(GoldenVtt, UnicodeIsEscaped) {
  EXPECT_EQ(write_vtt(unicode_transcript()),
            "WEBVTT\n\n"
            "00:00:00.000 --> 00:00:01.841\nGrüße aus München — ça va?\n\n"
            "00:00:01.841 --> 00:00:03.000\n日本語 😀 &lt;tag&gt; &amp; co\n\n");
}

TEST(GoldenVerboseJson, PlainSegmentsOnly) {
  EXPECT_EQ(write_verbose_json(plain_transcript(), {}),
            R"({"task":"transcribe","language":"english","duration":5.2,"text":"Hello there. How are you?",)"
            R"("segments":[)"
            R"({"id":0,"seek":0,"start":0.5,"end":2.0,"text":"Hello there.","tokens":[],"temperature":0.0,)"
            R"("avg_logprob":-0.25,"compression_ratio":1.0,"no_speech_prob":0.0},)"
            R"({"id":1,"seek":0,"start":2.5,"end":4.25,"text":"How are you?","tokens":[],"temperature":0.0,)"
            R"("avg_logprob":-0.5,"compression_ratio":1.0,"no_speech_prob":0.0}],)"
            R"("usage":{"type":"duration","seconds":6}})");
}

TEST(GoldenVerboseJson, DiarizedWithWords) {
  WriteOptions o;
  o.word_timestamps = true;
  EXPECT_EQ(write_verbose_json(diarized_transcript(), o),
            R"({"task":"transcribe","language":"english","duration":5.2,"text":"Hello there. How are you?",)"
            R"("words":[{"word":"Hello","start":0.5,"end":0.9,"speaker":"A"},)"
            R"({"word":"there.","start":1.0,"end":2.0,"speaker":"A"},)"
            R"({"word":"How","start":2.5,"end":2.8,"speaker":"B"},)"
            R"({"word":"are","start":2.9,"end":3.1,"speaker":"B"},)"
            R"({"word":"you?","start":3.2,"end":4.25,"speaker":"B"}],)"
            R"("segments":[)"
            R"({"id":0,"seek":0,"start":0.5,"end":2.0,"text":"Hello there.","tokens":[],"temperature":0.0,)"
            R"("avg_logprob":-0.25,"compression_ratio":1.0,"no_speech_prob":0.0,"speaker":"A"},)"
            R"({"id":1,"seek":0,"start":2.5,"end":4.25,"text":"How are you?","tokens":[],"temperature":0.0,)"
            R"("avg_logprob":-0.5,"compression_ratio":1.0,"no_speech_prob":0.0,"speaker":"B"}],)"
            R"("usage":{"type":"duration","seconds":6}})");
}

TEST(GoldenVerboseJson, WordsOnlyWhenSegmentTimestampsAreOff) {
  WriteOptions o;
  o.word_timestamps = true;
  o.segment_timestamps = false;
  EXPECT_EQ(write_verbose_json(unicode_transcript(), o),
            R"({"task":"transcribe","language":"german","duration":3.0,)"
            R"("text":"Grüße aus München — ça va? 日本語 😀 <tag> & co","words":[],)"
            R"("usage":{"type":"duration","seconds":3}})");
}

TEST(GoldenDiarizedJson, Diarized) {
  EXPECT_EQ(write_diarized_json(diarized_transcript()),
            R"({"task":"transcribe","duration":5.2,"text":"Hello there. How are you?","segments":[)"
            R"({"type":"transcript.text.segment","id":"seg_001","start":0.5,"end":2.0,"text":"Hello there.","speaker":"A"},)"
            R"({"type":"transcript.text.segment","id":"seg_002","start":2.5,"end":4.25,"text":"How are you?","speaker":"B"}],)"
            R"("usage":{"type":"duration","seconds":6}})");
}

TEST(GoldenDiarizedJson, UndiarizedSegmentsAreSpeakerA) {
  std::string out = write_diarized_json(plain_transcript());
  EXPECT_NE(out.find(R"("text":"Hello there.","speaker":"A"})"), std::string::npos) << out;
  EXPECT_NE(out.find(R"("text":"How are you?","speaker":"A"})"), std::string::npos) << out;
}

TEST(GoldenRttm, OneLinePerTurn) {
  WriteOptions o;
  o.recording_id = "talk";
  EXPECT_EQ(write_rttm(diarized_transcript(), o),
            "SPEAKER talk 1 0.500 1.500 <NA> <NA> A <NA> <NA>\n"
            "SPEAKER talk 1 2.500 1.750 <NA> <NA> B <NA> <NA>\n");
}

TEST(GoldenRttm, MergesConsecutiveSegmentsOfOneSpeaker) {
  Transcript t = diarized_transcript();
  t.segments[1].speaker = "A";  // 0.5 s after A's first segment: the same turn
  WriteOptions o;
  o.recording_id = "my file";  // whitespace would split the RTTM field
  EXPECT_EQ(write_rttm(t, o), "SPEAKER my_file 1 0.500 3.750 <NA> <NA> A <NA> <NA>\n");
  t.segments[1].start = 2.6;  // now 0.6 s apart: silence, not speech
  EXPECT_EQ(write_rttm(t, o),
            "SPEAKER my_file 1 0.500 1.500 <NA> <NA> A <NA> <NA>\n"
            "SPEAKER my_file 1 2.600 1.650 <NA> <NA> A <NA> <NA>\n");
}

TEST(GoldenEmpty, EveryWriterHandlesZeroSegments) {
  Transcript t = empty_transcript();
  EXPECT_EQ(write_json(t), R"({"text":"","usage":{"type":"duration","seconds":0}})");
  EXPECT_EQ(write_text(t), "");
  EXPECT_EQ(write_srt(t), "");
  EXPECT_EQ(write_vtt(t), "WEBVTT\n\n");
  EXPECT_EQ(write_verbose_json(t, {}),
            R"({"task":"transcribe","language":"english","duration":0.0,"text":"","segments":[],)"
            R"("usage":{"type":"duration","seconds":0}})");
  EXPECT_EQ(write_diarized_json(t),
            R"({"task":"transcribe","duration":0.0,"text":"","segments":[],"usage":{"type":"duration","seconds":0}})");
  EXPECT_EQ(write_rttm(t, {}), "");
}

TEST(GoldenEmpty, SegmentsWithoutTextMakeNoCues) {
  Transcript t = empty_transcript();
  Segment s;
  s.start = 1.0;
  s.end = 2.0;
  s.text = "   ";
  t.segments.push_back(s);
  EXPECT_EQ(write_srt(t), "");
  EXPECT_EQ(write_vtt(t), "WEBVTT\n\n");
}

}  // namespace
}  // namespace vox
