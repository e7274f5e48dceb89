// Small hand-made transcripts shared by the writer tests.
#pragma once

#include <string>
#include <vector>

#include "vox/format/transcript.h"

namespace vox::test {

inline Word word(std::string text, double start, double end, std::string speaker = {}, float confidence = 1.0f) {
  return Word{std::move(text), start, end, confidence, std::move(speaker)};
}

inline Segment segment(int id, std::vector<Word> words, std::string text, std::string speaker = {},
                       double avg_logprob = 0.0) {
  Segment s;
  s.id = id;
  s.start = words.empty() ? 0.0 : words.front().start;
  s.end = words.empty() ? 0.0 : words.back().end;
  s.text = std::move(text);
  s.words = std::move(words);
  s.speaker = std::move(speaker);
  s.avg_logprob = avg_logprob;
  return s;
}

// Two segments, no speakers: "Hello there." (0.5–2.0) and "How are you?" (2.5–4.25).
inline Transcript plain_transcript() {
  Transcript t;
  t.language = "en";
  t.duration = 5.2;
  t.engine = "test";
  t.segments.push_back(segment(0, {word("Hello", 0.5, 0.9), word("there.", 1.0, 2.0)}, "Hello there.", {}, -0.25));
  t.segments.push_back(segment(1, {word("How", 2.5, 2.8), word("are", 2.9, 3.1), word("you?", 3.2, 4.25)},
                               "How are you?", {}, -0.5));
  t.text = "Hello there. How are you?";
  return t;
}

// The same words, spoken by A then B.
inline Transcript diarized_transcript() {
  Transcript t = plain_transcript();
  t.diarized = true;
  const char* speakers[] = {"A", "B"};
  for (size_t i = 0; i < t.segments.size(); ++i) {
    t.segments[i].speaker = speakers[i];
    for (auto& w : t.segments[i].words) w.speaker = speakers[i];
  }
  return t;
}

// One segment without word timings, with non-ASCII text and characters VTT must escape.
inline Transcript unicode_transcript() {
  Transcript t;
  t.language = "de";
  t.duration = 3.0;
  Segment s;
  s.start = 0.0;
  s.end = 3.0;
  s.text = "Grüße aus München — ça va? 日本語 😀 <tag> & co";
  t.segments.push_back(s);
  t.text = s.text;
  return t;
}

inline Transcript empty_transcript() {
  Transcript t;
  t.language = "en";
  return t;
}

}  // namespace vox::test
