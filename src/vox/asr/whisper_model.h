// A Whisper model as sherpa-onnx exports it, in DIR: NAME-encoder.onnx, NAME-decoder.onnx (or
// their .int8 variants) and NAME-tokens.txt (base64 token bytes and id per line).
//   encoder  mel f32 (1, n_mels, 3000) -> n_layer_cross_k, n_layer_cross_v (L, 1, 1500, S)
//   decoder  tokens i64 (1, n), in_n_layer_self_k_cache, in_n_layer_self_v_cache (L, 1, ctx, S),
//            n_layer_cross_k, n_layer_cross_v, offset i64 (1)
//            -> logits (1, n, vocab), out_n_layer_self_k_cache, out_n_layer_self_v_cache
//   encoder metadata: n_mels, n_text_layer, n_text_ctx, n_text_state, n_vocab, sot, eot,
//            translate, transcribe, no_timestamps, no_speech, is_multilingual, sot_sequence, and
//            for multilingual models all_language_tokens + all_language_codes (comma-separated)
// Decoding is greedy with timestamps (whisper_decode.h); the language is detected from the
// first decoder step unless the request names it.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "vox/asr/recognizer.h"
#include "vox/asr/whisper_decode.h"
#include "vox/asr/whisper_features.h"
#include "vox/onnx/onnx_session.h"

namespace vox::asr {

class WhisperModel {
 public:
  static Result<std::unique_ptr<WhisperModel>> load(const std::string& dir, const OnnxOptions& options);

  // Any length: decoded in consecutive 30 s windows. Thread-safe.
  Result<ChunkResult> recognize(std::span<const float> samples, const RecognizeOptions& options) const;

  bool multilingual() const { return multilingual_; }
  const std::vector<std::string>& languages() const { return lang_codes_; }

 private:
  WhisperModel(std::unique_ptr<OnnxSession> enc, std::unique_ptr<OnnxSession> dec, WhisperFeatureExtractor fx)
      : encoder_(std::move(enc)), decoder_(std::move(dec)), extractor_(std::move(fx)) {}
  Status read_metadata();
  Result<ChunkResult> window(std::span<const float> samples, const RecognizeOptions& options) const;

  // The decoder's self-attention caches and the encoder's cross-attention keys and values stay
  // with ONNX Runtime (on the GPU under CUDA) from step to step: at Whisper small they are tens of
  // megabytes that a host round trip would copy at every token.
  struct Cache {
    OnnxValue k, v;  // empty before the first step: zeros
  };
  // Runs the decoder on `tokens` at `offset`; returns the last position's scores.
  Result<std::vector<float>> run_decoder(const std::vector<std::int64_t>& tokens, std::int64_t offset, Cache& cache,
                                         const OnnxValue& cross_k, const OnnxValue& cross_v) const;

  std::unique_ptr<OnnxSession> encoder_, decoder_;
  WhisperFeatureExtractor extractor_;
  WhisperVocab vocab_;
  int layers_ = 0, text_ctx_ = 0, text_state_ = 0;
  int sot_ = 0, transcribe_ = 0;
  bool multilingual_ = false;
  std::vector<std::int64_t> sot_sequence_;
  std::vector<int> lang_tokens_;
  std::vector<std::string> lang_codes_;
};

}  // namespace vox::asr
