// Speaker-embedding ONNX models for the pyannote diarizer, in the two layouts sherpa-onnx uses:
//   fbank layout (WeSpeaker, 3D-Speaker): input [1,T,80] Kaldi fbank -> output [1,D]
//     metadata: output_dim (required), sample_rate (16000), normalize_samples (0: int16-range
//     samples, 1: [-1,1]; default 0 for framework=wespeaker, else 1), feature_normalize_type
//     ("global-mean" subtracts each bin's mean; empty: none), framework (informative)
//   NeMo layout (TitaNet, framework=nemo): inputs audio_signal [1,80,T] + length [1] int64 ->
//     outputs (logits, embs); metadata output_dim, feat_dim, window_size_ms, window_stride_ms,
//     feature_normalize_type ("per_feature" normalises each bin over time).
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "vox/core/error.h"
#include "vox/diar/pyannote_fbank.h"
#include "vox/onnx/onnx_session.h"

namespace vox::diar {

class EmbeddingModel {
 public:
  enum class Layout { kFbank, kNemo };

  // kModelNotFound / kUnavailable (wrong layout or metadata, naming what is wrong).
  static Result<std::unique_ptr<EmbeddingModel>> load(const std::string& path, const OnnxOptions& options);

  Layout layout() const { return layout_; }
  int dim() const { return dim_; }
  // Fewest samples worth an embedding (one feature frame at least).
  std::size_t min_samples() const;

  // L2-normalised embedding of 16 kHz mono samples. Thread-safe.
  Result<std::vector<float>> embed(std::span<const float> samples) const;

 private:
  std::unique_ptr<OnnxSession> session_;
  Layout layout_ = Layout::kFbank;
  FbankOptions fbank_;
  std::string feature_normalize_;
  int dim_ = 0;
  std::string features_input_, length_input_, output_;
};

}  // namespace vox::diar
