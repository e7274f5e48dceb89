// The "nemo-transducer" recogniser: NeMo RNNT / TDT exports (Parakeet) with greedy search; the
// encoder and the search both run on batches of concurrent chunks.
#include "vox/asr/nemo_transducer_model.h"
#include "vox/asr/neural_recognizer.h"
#include "vox/engines/factories.h"

namespace vox {

Result<std::unique_ptr<Recognizer>> make_nemo_transducer_recognizer(const Config& config) {
  const std::string dir = asr::engine_model_dir(config, config.engines.nemo_transducer_model, "nemo-transducer");
  auto kept = asr::load_kept_model<asr::NemoTransducerModel>(
      config, "nemo-transducer", "install one with `vox models pull`, or point --nemo-transducer-model at it",
      [dir, options = asr::neural_onnx_options(config)] { return asr::NemoTransducerModel::load(dir, options); });
  if (!kept) return kept.error();
  auto loaded = (*kept)->acquire();
  if (!loaded) return loaded.error();
  const bool writes_text = (*loaded)->tokens().writes_text();
  return std::unique_ptr<Recognizer>(new asr::BatchedRecognizer(
      "nemo-transducer", config.engines,
      [model = *kept](const std::vector<std::span<const float>>& chunks) -> Result<std::vector<ChunkResult>> {
        auto m = model->acquire();
        if (!m) return m.error();
        return (*m)->run(chunks);
      },
      writes_text));
}

}  // namespace vox
