// The "nemo-transducer" recogniser: NeMo RNNT / TDT exports (Parakeet) with greedy search; the
// encoder runs on batches of concurrent chunks, the search per chunk.
#include "vox/asr/nemo_transducer_model.h"
#include "vox/asr/neural_recognizer.h"
#include "vox/engines/factories.h"

namespace vox {

Result<std::unique_ptr<Recognizer>> make_nemo_transducer_recognizer(const Config& config) {
  const std::string dir = asr::engine_model_dir(config, config.engines.nemo_transducer_model, "nemo-transducer");
  auto model = asr::NemoTransducerModel::load(dir, onnx_options_from(config.engines));
  if (!model) {
    Error e = model.error();
    e.message = "nemo-transducer: " + e.message +
                " (install one with `vox models pull`, or point --nemo-transducer-model at it)";
    return e;
  }
  std::shared_ptr<const asr::NemoTransducerModel> shared(std::move(*model));
  return std::unique_ptr<Recognizer>(new asr::BatchedRecognizer(
      "nemo-transducer", config.engines.asr_batch, std::max(1, config.engines.threads) * config.engines.asr_batch,
      [shared](const std::vector<std::span<const float>>& chunks) { return shared->run(chunks); }));
}

}  // namespace vox
