// Word lists for the text-stage tests, made from a sentence.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "vox/format/transcript.h"

namespace vox::test {

// One Word per space-separated token: word i spans [i, i + 0.5) s, confidence 0.9 - 0.01 i.
inline std::vector<Word> words_of(const std::string& text, const std::string& speaker = "") {
  std::istringstream in(text);
  std::vector<Word> out;
  std::string t;
  while (in >> t) {
    Word w;
    w.text = t;
    w.start = double(out.size());
    w.end = w.start + 0.5;
    w.confidence = 0.9f - 0.01f * float(out.size());
    w.speaker = speaker;
    out.push_back(w);
  }
  return out;
}

// The words' texts joined by `separator`.
inline std::string joined(const std::vector<Word>& words, const char* separator = " ") {
  std::string s;
  for (const Word& w : words) s += (s.empty() ? "" : separator) + w.text;
  return s;
}

}  // namespace vox::test
