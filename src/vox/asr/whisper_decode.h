// Greedy Whisper decoding with timestamp tokens, following OpenAI's ApplyTimestampRules: the
// first token is a timestamp (at most 1 s in), timestamps come in pairs around each segment's
// text and never go back, special tokens are never produced, and when the timestamps together are
// likelier than any text token a timestamp is taken. The result is segments of text with times;
// words get times spread over their segment in proportion to their length (the export has no
// cross-attention output to align words).
#pragma once

#include <functional>
#include <span>
#include <string>
#include <vector>

#include "vox/asr/recognizer.h"
#include "vox/core/error.h"

namespace vox::asr {

struct WhisperVocab {
  int eot = 0;
  int timestamp_begin = 0;       // no_timestamps + 1; each later id is +20 ms
  int n_vocab = 0;
  std::vector<std::string> text; // bytes of each text token (ids < eot)
};

// Scores of the next token after `token` (fed at position `offset`); the caller keeps the state.
using WhisperStep = std::function<Result<std::vector<float>>(int token)>;

struct WhisperSegment {
  double start = 0, end = 0;
  std::vector<int> tokens;
  std::vector<float> probs;
};

// first_logits: the scores after the start-of-transcript sequence. max_tokens caps the output.
// window_seconds closes a segment the model leaves open.
Result<std::vector<WhisperSegment>> whisper_greedy(const WhisperVocab& vocab, std::vector<float> first_logits,
                                                   const WhisperStep& step, int max_tokens, double window_seconds,
                                                   double& sum_logprob, int& token_count);

// Words with times and confidences from decoded segments (byte-level tokens joined, split at spaces).
std::vector<RecognizedWord> whisper_words(const WhisperVocab& vocab, const std::vector<WhisperSegment>& segments);

}  // namespace vox::asr
