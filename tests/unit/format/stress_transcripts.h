// Long, awkward transcripts for the subtitle-validity tests: long segments, long words, zero-length
// and overlapping words, segments without word timings, speakers talking over each other.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sample_transcripts.h"

namespace vox::test {

// A tiny deterministic generator: the same numbers on every platform and standard library.
class Lcg {
 public:
  explicit Lcg(uint64_t seed) : state_(seed) {}
  double uniform() {  // [0, 1)
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return double(state_ >> 11) / double(1ULL << 53);
  }
  int below(int n) { return int(uniform() * n); }

 private:
  uint64_t state_;
};

inline const std::vector<std::string>& vocabulary() {
  static const std::vector<std::string> words = {
      "the", "a", "quarterly", "review", "is", "ready", "naïve", "café", "日本語", "Brightstar", "we",
      "shipped", "it", "on", "Tuesday", "I", "think", "so", "extraordinarily", "complicated", "&", "<b>",
      "reconsideration", "ok", "mm", "€20", "Zürich", "we'll", "see", "—"};
  return words;
}

// `count` words from `start`, with random durations, gaps, sentence ends and a few oddities.
inline std::vector<Word> random_words(Lcg& rng, int count, double start, const std::string& speaker) {
  std::vector<Word> words;
  double t = start;
  for (int i = 0; i < count; ++i) {
    std::string text = vocabulary()[size_t(rng.below(int(vocabulary().size())))];
    if (rng.below(9) == 0) text += (rng.below(3) == 0 ? "?" : ".");
    double duration = 0.12 + 0.5 * rng.uniform();
    int odd = rng.below(25);
    if (odd == 0) duration = 0.0;                                        // zero-length word
    if (odd == 1) text = std::string(61, 'x') + "ünicode" + std::string(20, 'y');  // longer than a line
    if (odd == 2) t -= 0.2;                                              // overlaps the previous word
    if (odd == 3) duration = 9.0;                                        // one word longer than a cue may be
    words.push_back(word(text, std::max(start, t), std::max(start, t) + duration, speaker, 0.9f));
    t = words.back().end + 0.3 * rng.uniform();
  }
  return words;
}

inline Segment segment_of(std::vector<Word> words, const std::string& speaker) {
  std::string text;
  for (const auto& w : words) text += (text.empty() ? "" : " ") + w.text;
  Segment s = segment(0, std::move(words), text, speaker);
  for (const auto& w : s.words) s.end = std::max(s.end, w.end);
  return s;
}

inline Transcript stress_transcript(uint64_t seed, bool diarized) {
  Lcg rng(seed);
  Transcript t;
  t.diarized = diarized;
  std::string a = diarized ? "A" : "", b = diarized ? "B" : "";
  t.segments.push_back(segment_of(random_words(rng, 120, 0.3, a), a));
  // No word timings: 300 characters over 25 s, timed in proportion to characters.
  Segment untimed;
  untimed.start = t.segments.back().end + 0.4;
  untimed.end = untimed.start + 25.0;
  for (int i = 0; untimed.text.size() < 300; ++i) untimed.text += vocabulary()[size_t(i) % vocabulary().size()] + " ";
  untimed.speaker = b;
  t.segments.push_back(untimed);
  // Five words at the very same instant, then a segment that starts before that one ends.
  double at = untimed.end + 1.0;
  std::vector<Word> same;
  for (int i = 0; i < 5; ++i) same.push_back(word("now" + std::to_string(i), at, at, a));
  t.segments.push_back(segment_of(same, a));
  t.segments.push_back(segment_of(random_words(rng, 40, at - 0.5, b), b));
  for (size_t i = 0; i < t.segments.size(); ++i) {
    t.segments[i].id = int(i);
    t.text += (i ? " " : "") + t.segments[i].text;
  }
  t.duration = t.segments.back().end + 1.0;
  return t;
}

}  // namespace vox::test
