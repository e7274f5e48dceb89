// Greedy transducer search for NeMo RNNT and TDT models (Parakeet), over an abstract model so the
// search is testable on its own. It follows sherpa-onnx's NeMo decoders:
//   RNNT: at each encoder frame, emit tokens until the joiner says blank, at most
//         max_symbols_per_frame of them, then go to the next frame.
//   TDT:  the joiner also scores durations; after each step jump ahead by the best duration
//         (0 = stay on this frame). A blank with duration 0 still advances one frame, and after
//         max_symbols_per_frame tokens without moving the search advances one frame too, so it
//         always terminates.
#pragma once

#include <span>
#include <vector>

#include "vox/asr/token_words.h"
#include "vox/core/error.h"

namespace vox::asr {

// The prediction network's state and output; opaque to the search.
struct PredictorState {
  std::vector<float> output;              // decoder output fed to the joiner
  std::vector<std::vector<float>> state;  // recurrent states, passed back unchanged
};

class TransducerSteps {
 public:
  virtual ~TransducerSteps() = default;
  // Runs the prediction network on `token` from `previous` (empty state = initial zeros).
  virtual Result<PredictorState> predict(int token, const PredictorState& previous) const = 0;
  // Joiner scores for one encoder frame: tokens (incl. blank) then, for TDT, durations.
  virtual Result<std::vector<float>> join(std::span<const float> encoder_frame, const PredictorState& predictor) const = 0;
};

struct GreedyOptions {
  int vocab = 0;        // tokens including the blank
  int blank = 0;
  std::vector<int> durations;  // TDT: the duration of each duration score; empty = RNNT
  int max_symbols_per_frame = 10;
};

// encoder: frames x dim, frame-major. Returns tokens with frame, end frame (TDT: frame + duration,
// at least frame + 1) and the token's softmax probability.
Result<std::vector<DecodedToken>> transducer_greedy(const TransducerSteps& model, std::span<const float> encoder,
                                                    int frames, int dim, const GreedyOptions& options);

}  // namespace vox::asr
