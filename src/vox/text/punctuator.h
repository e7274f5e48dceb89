// Sentences, punctuation and casing for recognisers whose words come lowercase and unpunctuated
// (sphinx, NeMo CTC models such as QuartzNet). Embedded: the pause before the next word, speaker
// changes and an n-gram language model (pocketsphinx-en-us's en-us.lm.bin, which has <s> and </s>)
// place sentence ends; the sentence's form makes questions; shorter pauses and discourse words
// make commas; sentence starts, "I" and proper nouns (from a cased word list) get capitals.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "vox/core/error.h"
#include "vox/format/transcript.h"

namespace vox {

struct PunctuatorPaths {
  std::string language_model;  // n-gram model sphinxbase reads (.lm.bin, .lm, .dmp)
  std::string cased_words;     // one word per line, cased ("John", "Paris", "apple"); "" = none
};

class Punctuator {
 public:
  virtual ~Punctuator() = default;
  static Result<std::unique_ptr<Punctuator>> load(const PunctuatorPaths& paths);

  // `words` are in time order, one spoken token each, lowercase, with speakers (possibly empty).
  // Rewrites each word's text: an initial capital where written English has one, and the mark
  // that follows it ("." "?" or ","), if any. Never changes the number of words, their times,
  // confidences or speakers. A speaker change always ends a sentence; the last word ends one.
  // Safe to call from several threads at once.
  virtual void apply(std::vector<Word>& words) const = 0;
};

}  // namespace vox
