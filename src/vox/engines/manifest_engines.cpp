// One recogniser per downloadable manifest model, named like the model, so a request's
// `model=parakeet-tdt-0.6b-v2-int8` picks exactly that model. Each entry runs its engine's
// factory with the model's install directory; one that is not installed is kModelNotFound, one
// whose engine is not built in kUnavailable, never a silent fallback.
#include "vox/asr/neural_recognizer.h"
#include "vox/engines/factories.h"
#include "vox/engines/registry.h"
#include "vox/models/manifest.h"

namespace vox {

void add_manifest_recognizers(EngineRegistries& registries) {
  for (const auto& m : models::builtin_manifest()) {
    if (m.kind != "transcription") continue;
    registries.recognizers.add(
        m.name, m.description + " [" + m.engine + "; vox models pull " + m.name + "]",
        [name = m.name](const Config& config) -> Result<std::unique_ptr<Recognizer>> {
          const models::ModelEntry* model = models::find_model(name);
          const std::string base = asr::resolved_models_dir(config);
          if (!model || !models::is_installed(*model, base))
            return Error(ErrorCode::kModelNotFound,
                         "model '" + name + "' is not installed in " + base + " (run: vox models pull " + name + ")",
                         "model");
          Config c = config;
          const std::string dir = models::install_dir(*model, base);
          if (model->engine == "nemo-ctc") {
            c.engines.nemo_ctc_model = dir;
            return make_nemo_ctc_recognizer(c);
          }
          if (model->engine == "whisper") {
            c.engines.whisper_model = dir;
            return make_whisper_recognizer(c);
          }
          if (model->engine != "nemo-transducer")
            return Error(ErrorCode::kUnavailable, "model '" + name + "' needs the " + model->engine +
                                                      " engine, which this build of vox does not have", "model");
          c.engines.nemo_transducer_model = dir;
          return make_nemo_transducer_recognizer(c);
        });
  }
}

}  // namespace vox
