// A NeMo CTC model as sherpa-onnx exports it (QuartzNet, Conformer/FastConformer CTC, the CTC
// branch of hybrid models): DIR/model.onnx + DIR/tokens.txt.
//   input 0:  features f32 (B, n_mels, T)   n_mels from the static shape: 64, 80 or 128
//   input 1:  lengths i64 (B)
//   output 0: log-probs f32 (B, T', V) with V = tokens incl. the blank
//   metadata: vocab_size, subsampling_factor, normalize_type ("per_feature" or "")
// Loading checks all of that and says what is wrong; run() decodes a batch of chunks in one Run.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "vox/asr/nemo_features.h"
#include "vox/asr/recognizer.h"
#include "vox/asr/token_table.h"
#include "vox/onnx/onnx_session.h"

namespace vox::asr {

class NemoCtcModel {
 public:
  // Missing files -> kModelNotFound naming the path; a file of the wrong kind -> kUnavailable.
  static Result<std::unique_ptr<NemoCtcModel>> load(const std::string& dir, const OnnxOptions& options);

  // All chunks in one Run, padded to the longest. The result for a chunk does not depend on the
  // others it is batched with (the exported models mask by length).
  Result<std::vector<ChunkResult>> run(const std::vector<std::span<const float>>& chunks) const;

  int n_mels() const { return extractor_.config().n_mels; }
  int subsampling() const { return subsampling_; }
  const TokenTable& tokens() const { return tokens_; }

 private:
  NemoCtcModel(std::unique_ptr<OnnxSession> s, TokenTable t, NemoFeatureExtractor fx, int sub)
      : session_(std::move(s)), tokens_(std::move(t)), extractor_(std::move(fx)), subsampling_(sub) {}

  std::unique_ptr<OnnxSession> session_;
  TokenTable tokens_;
  NemoFeatureExtractor extractor_;
  int subsampling_ = 1;
};

}  // namespace vox::asr
