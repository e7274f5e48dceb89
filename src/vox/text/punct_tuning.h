// Private to the punctuator: the weights its decisions use, so that a tuning harness can vary
// them without touching Punctuator's public interface. Production code uses the defaults.
#pragma once

#include <memory>

#include "vox/core/error.h"
#include "vox/text/punctuator.h"

namespace vox::punct_detail {

// Log probabilities are natural logs. A gap's sentence-end score is
//   llr + pause_weight * max(0, min(pause, pause_cap) - pause_offset) + sentence_bias
// where llr = ln P(w_i </s> <s> w_i+1 w_i+2) - ln P(w_i w_i+1 w_i+2) under the trigram model
// (both given the sentence's history); a gap ends a sentence when the score is above 0.
// The defaults were chosen on synthetic multi-speaker conversations (flite voices) recognised by
// pocketsphinx; comma_pause in particular follows the short pauses such voices make at commas.
struct Tuning {
  double forced_pause = 1.2;       // s: a pause at least this long always ends a sentence
  double pause_weight = 22.0;      // per second of pause
  double pause_cap = 1.0;          // s
  double pause_offset = 0.10;      // s: pauses shorter than this count as none
  double sentence_bias = -2.0;
  double short_sentence_penalty = 3.0;  // subtracted when the sentence so far has 1-2 words
  double comma_pause = 0.08;       // s: a pause this long (short of a sentence end) may be a comma
  double comma_score = -6.0;       // sentence-end score above which a gap is at least a comma
  double unknown_logprob = -12.0;  // ln P of a word the model does not know
};

Result<std::unique_ptr<Punctuator>> load_punctuator(const PunctuatorPaths& paths, const Tuning& tuning);

}  // namespace vox::punct_detail
