// The "nemo-ctc" recogniser: a NeMo CTC export (see nemo_ctc_model.h) with greedy decoding,
// concurrent chunks batched into one ONNX Runtime run.
#include "vox/asr/nemo_ctc_model.h"
#include "vox/asr/neural_recognizer.h"
#include "vox/engines/factories.h"
#include "vox/onnx/onnx_session.h"

namespace vox {

Result<std::unique_ptr<Recognizer>> make_nemo_ctc_recognizer(const Config& config) {
  const std::string dir = asr::engine_model_dir(config, config.engines.nemo_ctc_model, "nemo-ctc");
  auto kept = asr::load_kept_model<asr::NemoCtcModel>(
      config, "nemo-ctc", "install one with `vox models pull`, or point --nemo-ctc-model at it",
      [dir, options = asr::neural_onnx_options(config)] { return asr::NemoCtcModel::load(dir, options); });
  if (!kept) return kept.error();
  auto loaded = (*kept)->acquire();
  if (!loaded) return loaded.error();
  const bool writes_text = (*loaded)->tokens().writes_text();
  return std::unique_ptr<Recognizer>(new asr::BatchedRecognizer(
      "nemo-ctc", config.engines,
      [model = *kept](const std::vector<std::span<const float>>& chunks) -> Result<std::vector<ChunkResult>> {
        auto m = model->acquire();
        if (!m) return m.error();
        return (*m)->run(chunks);
      },
      writes_text));
}

}  // namespace vox
