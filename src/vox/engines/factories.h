// Factory functions of the engines compiled into vox, one per implementation file.
#pragma once

#include <memory>

#include "vox/asr/recognizer.h"
#include "vox/core/config.h"
#include "vox/diar/diarizer.h"
#include "vox/tts/synthesizer.h"
#include "vox/vad/vad.h"

namespace vox {

Result<std::unique_ptr<Recognizer>> make_sphinx_recognizer(const Config& config);
Result<std::unique_ptr<Recognizer>> make_nemo_ctc_recognizer(const Config& config);
Result<std::unique_ptr<Recognizer>> make_nemo_transducer_recognizer(const Config& config);
Result<std::unique_ptr<Recognizer>> make_whisper_recognizer(const Config& config);
Result<std::unique_ptr<VoiceActivityDetector>> make_energy_vad(const Config& config);
Result<std::unique_ptr<VoiceActivityDetector>> make_silero_vad(const Config& config);
Result<std::unique_ptr<Diarizer>> make_pyannote_diarizer(const Config& config);
Result<std::unique_ptr<Diarizer>> make_embedded_diarizer(const Config& config);
Result<std::unique_ptr<Synthesizer>> make_flite_synthesizer(const Config& config);
Result<std::unique_ptr<Synthesizer>> make_espeak_synthesizer(const Config& config);
Result<std::unique_ptr<Synthesizer>> make_piper_synthesizer(const Config& config);

}  // namespace vox
