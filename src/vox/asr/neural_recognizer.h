// What the ONNX recognisers (nemo-ctc, nemo-transducer) share: where their model directory is,
// and a Recognizer that feeds concurrent chunks to a batched model run through a MicroBatcher.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "vox/asr/micro_batcher.h"
#include "vox/asr/recognizer.h"
#include "vox/core/config.h"

namespace vox::asr {

// explicit_dir when set; else MODELS_DIR/<engine> when it exists; else the first installed
// manifest model for this engine (`vox models pull`); else MODELS_DIR/<engine>, so the
// "not found" error names the conventional place.
std::string engine_model_dir(const Config& config, const std::string& explicit_dir, const std::string& engine);

// config.engines.models_dir, or its default when the config was not resolved.
std::string resolved_models_dir(const Config& config);

// DIR/STEM.onnx, or DIR/STEM.int8.onnx when only the quantised export is there (sherpa-onnx
// ships both names).
std::string onnx_file(const std::string& dir, const std::string& stem);

// A recogniser over any "batch of chunks -> results" function. model_language: the language the
// model transcribes ("" = whatever the request says, reported as "en" when it says nothing).
class BatchedRecognizer : public Recognizer {
 public:
  using RunFn = std::function<Result<std::vector<ChunkResult>>(const std::vector<std::span<const float>>&)>;
  BatchedRecognizer(std::string name, int max_batch, int parallelism, RunFn run);

  std::string name() const override { return name_; }
  int parallelism() const override { return parallelism_; }
  Result<ChunkResult> recognize(const AudioChunk& chunk, const RecognizeOptions& options,
                                const CancelToken& cancel) override;

 private:
  std::string name_;
  int parallelism_;
  MicroBatcher<ChunkResult> batcher_;
};

}  // namespace vox::asr
