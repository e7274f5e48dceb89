// The "whisper" recogniser: sherpa-onnx Whisper exports (tiny/base/small...), greedy decoding
// with timestamps and language detection. Chunks run one per call (no batching: the decoder
// loop dominates and sherpa-onnx's export is traced for batch 1).
#include "vox/asr/neural_recognizer.h"
#include "vox/asr/whisper_model.h"
#include "vox/engines/factories.h"

namespace vox {

namespace {

class WhisperRecognizer : public Recognizer {
 public:
  WhisperRecognizer(std::unique_ptr<asr::WhisperModel> m, int parallelism) : model_(std::move(m)), parallelism_(parallelism) {}
  std::string name() const override { return "whisper"; }
  int parallelism() const override { return parallelism_; }
  Result<ChunkResult> recognize(const AudioChunk& chunk, const RecognizeOptions& options,
                                const CancelToken& cancel) override {
    if (cancel.cancelled()) return Error(ErrorCode::kCancelled, "transcription cancelled");
    if (chunk.samples.empty()) return ChunkResult{{}, options.language.empty() ? "en" : options.language, 0.0};
    return model_->recognize(chunk.samples, options);
  }

 private:
  std::unique_ptr<asr::WhisperModel> model_;
  int parallelism_;
};

}  // namespace

Result<std::unique_ptr<Recognizer>> make_whisper_recognizer(const Config& config) {
  const std::string dir = asr::engine_model_dir(config, config.engines.whisper_model, "whisper");
  auto model = asr::WhisperModel::load(dir, onnx_options_from(config.engines));
  if (!model) {
    Error e = model.error();
    e.message = "whisper: " + e.message + " (install one with `vox models pull whisper-tiny`, or point --whisper-model at it)";
    return e;
  }
  return std::unique_ptr<Recognizer>(new WhisperRecognizer(std::move(*model), std::max(1, config.engines.threads)));
}

}  // namespace vox
