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
  WhisperRecognizer(std::shared_ptr<IdleReleased<const asr::WhisperModel>> m, int parallelism)
      : model_(std::move(m)), parallelism_(parallelism) {}
  std::string name() const override { return "whisper"; }
  int parallelism() const override { return parallelism_; }
  bool writes_text() const override { return true; }  // Whisper writes cased, punctuated text
  Result<ChunkResult> recognize(const AudioChunk& chunk, const RecognizeOptions& options,
                                const CancelToken& cancel) override {
    if (cancel.cancelled()) return Error(ErrorCode::kCancelled, "transcription cancelled");
    if (chunk.samples.empty()) return ChunkResult{{}, options.language.empty() ? "en" : options.language, 0.0};
    auto m = model_->acquire();
    if (!m) return m.error();
    return (*m)->recognize(chunk.samples, options);
  }

 private:
  std::shared_ptr<IdleReleased<const asr::WhisperModel>> model_;
  int parallelism_;
};

}  // namespace

Result<std::unique_ptr<Recognizer>> make_whisper_recognizer(const Config& config) {
  const std::string dir = asr::engine_model_dir(config, config.engines.whisper_model, "whisper");
  auto kept = asr::load_kept_model<asr::WhisperModel>(
      config, "whisper", "install one with `vox models pull whisper-tiny`, or point --whisper-model at it",
      [dir, options = asr::neural_onnx_options(config)] { return asr::WhisperModel::load(dir, options); });
  if (!kept) return kept.error();
  return std::unique_ptr<Recognizer>(new WhisperRecognizer(std::move(*kept), std::max(1, config.engines.threads)));
}

}  // namespace vox
