// Greedy transducer search for NeMo RNNT and TDT models (Parakeet), over an abstract model so the
// search is testable on its own. Per utterance it follows sherpa-onnx's NeMo decoders:
//   RNNT: at each encoder frame, emit tokens until the joiner says blank, at most
//         max_symbols_per_frame of them, then go to the next frame.
//   TDT:  the joiner also scores durations; after each step jump ahead by the best duration
//         (0 = stay on this frame). A blank with duration 0 still advances one frame, and after
//         max_symbols_per_frame tokens without moving the search advances one frame too, so it
//         always terminates.
// Unlike sherpa-onnx, which searches one utterance at a time, the search runs a batch of
// utterances in lockstep: each step is one joiner run over every utterance still going and one
// prediction-network run over those that emitted a token. On a GPU a batch-1 step is all
// kernel-launch overhead, so this is what lets the search keep up with a batched encoder. An
// utterance's tokens never depend on the others in its batch.
#pragma once

#include <span>
#include <vector>

#include "vox/asr/token_words.h"
#include "vox/core/error.h"

namespace vox::asr {

// The prediction network's state and output for one utterance; opaque to the search.
struct PredictorState {
  std::vector<float> output;              // decoder output fed to the joiner
  std::vector<std::vector<float>> state;  // recurrent states, passed back unchanged
};

class TransducerSteps {
 public:
  virtual ~TransducerSteps() = default;
  // Runs the prediction network for n utterances at once: tokens[i] from *previous[i] (an empty
  // state = the initial zeros). Returns n states, in order.
  virtual Result<std::vector<PredictorState>> predict(std::span<const int> tokens,
                                                      std::span<const PredictorState* const> previous) const = 0;
  // Joiner scores for n (encoder frame, predictor output) pairs; frames is n x dim, row-major.
  // Returns n rows of scores: tokens (incl. blank) then, for TDT, durations.
  virtual Result<std::vector<float>> join(std::span<const float> frames, int dim,
                                          std::span<const PredictorState* const> predictors) const = 0;
};

struct GreedyOptions {
  int vocab = 0;        // tokens including the blank
  int blank = 0;
  std::vector<int> durations;  // TDT: the duration of each duration score; empty = RNNT
  int max_symbols_per_frame = 10;
  int max_batch = 64;   // utterances per model run; 1 = one utterance at a time
};

// One utterance's encoder output: frames x dim, frame-major.
struct EncodedUtterance {
  std::span<const float> frames;
  int n_frames = 0;
};

// Tokens of each utterance with frame, end frame (TDT: frame + duration, at least frame + 1) and
// the token's softmax probability.
Result<std::vector<std::vector<DecodedToken>>> transducer_greedy(const TransducerSteps& model,
                                                                 std::span<const EncodedUtterance> utterances, int dim,
                                                                 const GreedyOptions& options);

}  // namespace vox::asr
