// The result of a transcription, independent of how it is written out.
#pragma once

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

struct Transcript {
  std::string language = "en";
  double duration = 0.0;  // seconds of input audio
  std::string text;       // all segment texts joined by spaces
  std::vector<Segment> segments;
  std::string engine;     // recogniser that produced it
  bool diarized = false;
};

}  // namespace vox
