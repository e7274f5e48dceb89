// What the ONNX recognisers (nemo-ctc, nemo-transducer) share: where their model directory is,
// and a Recognizer that feeds concurrent chunks to a batched model run through a MicroBatcher.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "vox/asr/micro_batcher.h"
#include "vox/asr/recognizer.h"
#include "vox/core/config.h"
#include "vox/core/idle_released.h"
#include "vox/onnx/onnx_session.h"

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

// ONNX settings of a neural recogniser: the engine config's, and when it batches (--asr-batch
// > 1) intra-op threads for every core. A batch is one large Run; with one thread per Run, a
// batch of 8 chunks would leave all but one core idle whenever fewer batches than cores are
// waiting. Unbatched, concurrent chunks fill the cores, one thread each (bench/neural measures
// both).
OnnxOptions neural_onnx_options(const Config& config);

// One JSON line on stderr about an engine's model (freed, loaded again).
void log_model_event(const std::string& engine, const std::string& message);

// Loads a model now (so a missing or broken one fails at startup) and keeps it behind the
// engine config's idle TTL. Errors of `load` are prefixed with the engine name and followed by
// `hint` (how to install one).
template <class Model>
Result<std::shared_ptr<IdleReleased<const Model>>> load_kept_model(const Config& config, const std::string& engine,
                                                                   const std::string& hint,
                                                                   std::function<Result<std::unique_ptr<Model>>()> load) {
  auto decorated = [engine, hint, load = std::move(load)]() -> Result<std::unique_ptr<const Model>> {
    auto m = load();
    if (!m) {
      Error e = m.error();
      e.message = engine + ": " + e.message + " (" + hint + ")";
      return e;
    }
    return std::unique_ptr<const Model>(std::move(*m));
  };
  auto first = decorated();
  if (!first) return first.error();
  // Reloads and releases are logged: a slow request right after an idle spell should be explainable.
  auto reload = [engine, decorated]() {
    auto m = decorated();
    log_model_event(engine, m ? "model loaded again after being freed" : "model failed to load again: " + m.error().message);
    return m;
  };
  return std::make_shared<IdleReleased<const Model>>(
      reload, std::move(*first), std::chrono::duration<double>(config.engines.model_idle_ttl_s),
      [engine, ttl = config.engines.model_idle_ttl_s] {
        log_model_event(engine, "model freed after " + std::to_string(int(ttl)) + " s unused (--model-idle-ttl)");
      });
}

// A recogniser over any "batch of chunks -> results" function. model_language: the language the
// model transcribes ("" = whatever the request says, reported as "en" when it says nothing).
class BatchedRecognizer : public Recognizer {
 public:
  using RunFn = std::function<Result<std::vector<ChunkResult>>(const std::vector<std::span<const float>>&)>;
  // Batch size, batching window and parallelism from the engine config (--asr-batch,
  // --asr-batch-wait, --threads).
  // writes_text: whether the model's vocabulary writes text (TokenTable::writes_text).
  BatchedRecognizer(std::string name, const EngineConfig& engines, RunFn run, bool writes_text);

  std::string name() const override { return name_; }
  int parallelism() const override { return parallelism_; }
  bool writes_text() const override { return writes_text_; }
  Result<ChunkResult> recognize(const AudioChunk& chunk, const RecognizeOptions& options,
                                const CancelToken& cancel) override;

 private:
  std::string name_;
  int parallelism_;
  bool writes_text_;
  MicroBatcher<ChunkResult> batcher_;
};

}  // namespace vox::asr
