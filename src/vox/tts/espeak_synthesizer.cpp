// espeak-ng: formant synthesis for every language espeak-ng ships (100+). Voices are named by
// their language code ("en-us", "de", "fr", ...). The library is process-global, so calls are
// serialised by EspeakRuntime; flite and Piper requests never wait for it.
#include <algorithm>
#include <cmath>

extern "C" {
#include <espeak-ng/speak_lib.h>
}

#include "vox/engines/factories.h"
#include "vox/tts/espeak_runtime.h"
#include "vox/tts/synthesis_checks.h"

namespace vox {
namespace {

constexpr int kDefaultWordsPerMinute = 175;  // espeak-ng's own default
constexpr int kMinWpm = 80, kMaxWpm = 450;   // the range espeak-ng accepts

struct CallbackState {
  std::vector<short>* pcm;
  const CancelToken* cancel;
  bool failed = false;  // the callback could not keep the samples (out of memory)
};

// Called from espeak-ng's C frames: nothing may be thrown through them, so a failure is recorded
// and the synthesis aborted.
int on_samples(short* wav, int count, espeak_EVENT* events) noexcept {
  auto* state = events ? static_cast<CallbackState*>(events->user_data) : nullptr;
  if (!state) return 0;
  try {
    if (wav && count > 0) state->pcm->insert(state->pcm->end(), wav, wav + count);
  } catch (...) {
    state->failed = true;
    return 1;
  }
  return state->cancel->cancelled() ? 1 : 0;  // 1 aborts the synthesis
}

class EspeakSynthesizer final : public Synthesizer {
 public:
  explicit EspeakSynthesizer(EspeakRuntime& rt) : rt_(rt) {}
  std::string name() const override { return "espeak"; }

  std::vector<VoiceInfo> voices() const override {
    std::vector<VoiceInfo> out;
    for (const auto& v : rt_.voices()) out.push_back({v.language, "espeak", v.language, v.gender, rt_.sample_rate()});
    return out;
  }

  Result<AudioBuffer> synthesize(std::string_view sentence, const SynthesisOptions& options,
                                 const CancelToken& cancel) override {
    if (auto st = check_synthesis_request(sentence, options, cancel); !st) return st.error();
    std::string voice = !options.language.empty() ? options.language : options.voice.empty() ? "en-us" : options.voice;
    std::transform(voice.begin(), voice.end(), voice.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    if (!known(voice)) return Error(ErrorCode::kNotFound, "espeak-ng has no voice or language '" + voice + "'", "voice");

    std::vector<short> pcm;
    CallbackState state{&pcm, &cancel};
    const int wpm = std::clamp(int(std::lround(kDefaultWordsPerMinute * options.speed)), kMinWpm, kMaxWpm);
    const std::string text(sentence);
    {
      std::lock_guard<std::mutex> lock(rt_.mutex());
      espeak_SetSynthCallback(&on_samples);
      if (espeak_SetVoiceByName(voice.c_str()) != EE_OK)
        return Error(ErrorCode::kNotFound, "espeak-ng cannot load voice '" + voice + "'", "voice");
      espeak_SetParameter(espeakRATE, wpm, 0);
      espeak_ERROR rc = espeak_Synth(text.c_str(), text.size() + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, nullptr, &state);
      if (rc != EE_OK) return Error(ErrorCode::kInternal, "espeak-ng failed to synthesise the text");
    }
    if (state.failed) return Error(ErrorCode::kInternal, "espeak-ng's output could not be kept (out of memory)");
    if (cancel.cancelled()) return Error(ErrorCode::kCancelled, "synthesis cancelled");
    return pcm16_to_audio(pcm.data(), pcm.size(), rt_.sample_rate());
  }

 private:
  bool known(const std::string& voice) const {
    for (const auto& v : rt_.voices())
      if (v.language == voice) return true;
    return false;
  }
  EspeakRuntime& rt_;
};

}  // namespace

Result<std::unique_ptr<Synthesizer>> make_espeak_synthesizer(const Config& config) {
  auto rt = EspeakRuntime::get();
  if (!rt) return rt.error();
  return std::unique_ptr<Synthesizer>(std::make_unique<EspeakSynthesizer>(**rt));
}

}  // namespace vox
