// A NeMo transducer (RNNT or TDT: Parakeet) as sherpa-onnx exports it, in DIR:
//   encoder.onnx  audio_signal f32 (B, feat_dim, T), length i64 (B)
//                 -> outputs f32 (B, D, T'), encoded_lengths i64 (B)
//                 metadata vocab_size (without the blank), normalize_type, pred_rnn_layers,
//                 pred_hidden, subsampling_factor, feat_dim (optional: the input shape says it)
//   decoder.onnx  targets i32 (B, 1), target_length i32 (B), states.1 f32 (L, B, H),
//                 onnx::Slice_3 f32 (L, B, H) -> outputs f32 (B, H, 1), prednet_lengths, states, 162
//   joiner.onnx   encoder_outputs f32 (B, D, 1), decoder_outputs f32 (B, H, 1)
//                 -> outputs f32 (B, 1, 1, V + 1 [+ durations])
//   tokens.txt    V + 1 tokens, <blk> last
// Tensors are addressed by position, as sherpa-onnx does, and checked by type and rank at load.
// TDT when the joiner scores more than the tokens: the extra scores are durations 0, 1, 2, ...
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "vox/asr/nemo_features.h"
#include "vox/asr/recognizer.h"
#include "vox/asr/token_table.h"
#include "vox/asr/transducer_greedy.h"
#include "vox/onnx/onnx_session.h"

namespace vox::asr {

class NemoTransducerModel : public TransducerSteps {
 public:
  static Result<std::unique_ptr<NemoTransducerModel>> load(const std::string& dir, const OnnxOptions& options);

  // The encoder runs once for the whole batch (padded), then the greedy search runs the batch in
  // lockstep. A chunk's result does not depend on the chunks it is batched with.
  Result<std::vector<ChunkResult>> run(const std::vector<std::span<const float>>& chunks) const;

  bool is_tdt() const { return !durations_.empty(); }
  int n_mels() const { return extractor_.config().n_mels; }
  int subsampling() const { return subsampling_; }
  const TokenTable& tokens() const { return tokens_; }

  // Whether the decoder and joiner take more than one utterance per run (their batch dimensions
  // are dynamic); exports that fix them at 1 are searched one utterance at a time.
  bool batched_search() const { return batched_search_; }

  Result<std::vector<PredictorState>> predict(std::span<const int> tokens,
                                              std::span<const PredictorState* const> previous) const override;
  Result<std::vector<float>> join(std::span<const float> frames, int dim,
                                  std::span<const PredictorState* const> predictors) const override;

 private:
  struct Parts {
    std::unique_ptr<OnnxSession> encoder, decoder, joiner;
    TokenTable tokens;
    int subsampling = 8, layers = 1, hidden = 1;
  };
  NemoTransducerModel(Parts parts, NemoFeatureExtractor fx);
  Status probe_joiner();  // learns the encoder dim and the joiner width with one tiny run

  std::unique_ptr<OnnxSession> encoder_, decoder_, joiner_;
  TokenTable tokens_;
  NemoFeatureExtractor extractor_;
  int subsampling_, layers_, hidden_;
  int encoder_dim_ = 0;
  int joiner_width_ = 0;  // scores per row; 0 until probe_joiner() has learnt it
  bool batched_search_ = false;
  std::vector<int> durations_;
};

}  // namespace vox::asr
