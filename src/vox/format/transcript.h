// The result of a transcription, independent of how it is written out.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace vox {

struct Word {
  std::string text;
  double start = 0.0;  // seconds from the start of the recording
  double end = 0.0;
  float confidence = 1.0f;
  std::string speaker;  // "A", "B", ... or a known name; empty when not diarized
};

struct Segment {
  int id = 0;
  double start = 0.0;
  double end = 0.0;
  std::string text;
  std::vector<Word> words;
  std::string speaker;
  double avg_logprob = 0.0;
  double no_speech_prob = 0.0;
  double compression_ratio = 1.0;
};

// Overall tone of a stretch of text: label "positive", "neutral" or "negative", score in [-1, 1].
struct Sentiment {
  std::string label = "neutral";
  double score = 0.0;
};

struct Sentence {
  double start = 0.0;
  double end = 0.0;
  std::string text;
};

// A few sentences of one speaker (the text stage's detect_paragraphs / detect_sentiment).
struct Paragraph {
  double start = 0.0;
  double end = 0.0;
  std::string speaker;
  std::string text;
  std::vector<Sentence> sentences;
  std::optional<Sentiment> sentiment;  // set when sentiment was asked for
};

// A named thing or a formatted value found in the text (detect_entities). `type` is one of
// person, organization, location, date, time, money, percent, number, ordinal, phone, email, url.
struct Entity {
  std::string type;
  std::string text;
  double start = 0.0;  // the start of its first spoken word, the end of its last
  double end = 0.0;
  std::string speaker;
};

struct Transcript {
  std::string language = "en";
  double duration = 0.0;  // seconds of input audio
  std::string text;       // all segment texts joined by spaces
  std::vector<Segment> segments;
  std::string engine;     // recogniser that produced it
  bool diarized = false;
  std::vector<Paragraph> paragraphs;   // empty unless paragraphs (or sentiment) were asked for
  std::vector<Entity> entities;        // empty unless entities were asked for
  std::optional<Sentiment> sentiment;  // the whole transcript's, when asked for
};

}  // namespace vox
