// Decoded tokens -> words with times, shared by every token-based engine (CTC, transducer).
// SentencePiece vocabularies mark a word start with U+2581 ("▁"); character vocabularies
// (QuartzNet) have a space token between words. Special tokens (<unk>, ...) never reach the text.
#pragma once

#include <vector>

#include "vox/asr/recognizer.h"
#include "vox/asr/token_table.h"

namespace vox::asr {

struct DecodedToken {
  int id = 0;
  int frame = 0;       // first output frame of the token
  int end_frame = 0;   // one past its last frame (>= frame + 1)
  float prob = 1.0f;   // 0..1
};

// frame_seconds: seconds per output frame (10 ms x subsampling factor). Word times run from its
// first token's frame to its last token's end_frame; confidence is the mean token probability.
std::vector<RecognizedWord> tokens_to_words(const TokenTable& tokens, const std::vector<DecodedToken>& decoded,
                                            double frame_seconds);

}  // namespace vox::asr
