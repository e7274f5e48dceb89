// Greedy CTC decoding: the best token of every frame, repeats collapsed, blanks dropped.
#pragma once

#include <span>
#include <vector>

#include "vox/asr/token_words.h"

namespace vox::asr {

// scores: frames x vocab, row-major (log-probabilities, or logits: only their order matters for
// the path; probabilities are exp(score) clamped to 0..1 and are meaningful for log-probs only).
// A token covers the run of frames it wins; a blank or another token ends the run.
std::vector<DecodedToken> ctc_greedy(std::span<const float> scores, int frames, int vocab, int blank);

}  // namespace vox::asr
