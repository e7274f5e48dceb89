// The embedded default synthesiser: CMU flite with its five compiled-in US English voices.
//
// Thread safety: voices are registered once per process and then only read; each call builds
// its own utterance, so calls run in parallel without a lock (checked under a race detector: sharing voices across
// threads is race-free). The one shared thing, the rand() noise of the clustergen voices, is made
// per-thread and reseeded per call (flite_rand.h), so output is deterministic.
// flite reports internal errors through cst_error(), which would exit the process: every flite
// call runs under run_flite_guarded (flite_error.h), so such an error fails the one request; input
// is also sanitised (flite_input.h) so that the known triggers never reach flite.
#include <memory>
#include <mutex>
#include <string>
#include <vector>

extern "C" {
#include <flite.h>
cst_voice* register_cmu_us_slt(const char* voxdir);
cst_voice* register_cmu_us_rms(const char* voxdir);
cst_voice* register_cmu_us_awb(const char* voxdir);
cst_voice* register_cmu_us_kal16(const char* voxdir);
cst_voice* register_cmu_us_kal(const char* voxdir);
}

#include "vox/engines/factories.h"
#include "vox/tts/flite_error.h"
#include "vox/tts/flite_input.h"
#include "vox/tts/flite_rand.h"
#include "vox/tts/synthesis_checks.h"
#include "vox/tts/text.h"

namespace vox {
namespace {

constexpr std::uint32_t kNoiseSeed = 20240601;  // any constant: same text -> same samples

struct FliteVoice {
  VoiceInfo info;
  cst_voice* voice = nullptr;
};

// flite's registration functions build process-wide voice structures; do it exactly once.
// One utterance through flite, in a plain function with no C++ objects: flite's fatal errors
// longjmp out of it (flite_error.h).
struct FliteCall {
  const char* text;
  cst_voice* voice;
  float stretch;
  cst_utterance* utt;
  cst_utterance* synthesized;  // utt_synth's result: null on failure
};

void synthesize_utterance(void* arg) {
  auto* call = static_cast<FliteCall*>(arg);
  call->utt = new_utterance();
  utt_set_input_text(call->utt, call->text);
  utt_init(call->utt, call->voice);
  // On the utterance, not the shared voice: a per-call setting that needs no lock.
  feat_set_float(call->utt->features, "duration_stretch", call->stretch);
  call->synthesized = utt_synth(call->utt);
}

const std::vector<FliteVoice>& flite_voices() {
  static const std::vector<FliteVoice> voices = [] {
    flite_init();
    auto make = [](const char* name, const char* gender, cst_voice* v, int rate) {
      return FliteVoice{VoiceInfo{name, "flite", "en-US", gender, rate}, v};
    };
    std::vector<FliteVoice> list;
    list.push_back(make("slt", "female", register_cmu_us_slt(nullptr), 16000));
    list.push_back(make("rms", "male", register_cmu_us_rms(nullptr), 16000));
    list.push_back(make("awb", "male", register_cmu_us_awb(nullptr), 16000));  // Scottish English
    list.push_back(make("kal16", "male", register_cmu_us_kal16(nullptr), 16000));
    list.push_back(make("kal", "male", register_cmu_us_kal(nullptr), 8000));
    list[2].info.language = "en-GB";
    return list;
  }();
  return voices;
}

class FliteSynthesizer final : public Synthesizer {
 public:
  std::string name() const override { return "flite"; }

  std::vector<VoiceInfo> voices() const override {
    std::vector<VoiceInfo> out;
    for (const auto& v : flite_voices()) out.push_back(v.info);
    return out;
  }

  Result<AudioBuffer> synthesize(std::string_view sentence, const SynthesisOptions& options,
                                 const CancelToken& cancel) override {
    if (auto st = check_synthesis_request(sentence, options, cancel); !st) return st.error();
    if (!options.language.empty() && !options.language.starts_with("en"))
      return Error(ErrorCode::kInvalidArgument, "flite voices speak English only, not '" + options.language + "'",
                   "language");
    const FliteVoice* voice = find_voice(options.voice.empty() ? "slt" : options.voice);
    if (!voice) return Error(ErrorCode::kNotFound, "flite has no voice '" + options.voice + "'", "voice");

    const std::string text = sanitize_for_flite(normalize_english(sentence));
    AudioBuffer audio;
    audio.sample_rate = voice->info.sample_rate;
    if (text.find_first_not_of(' ') == std::string::npos) return audio;  // nothing to say

    FliteCall call{text.c_str(), voice->voice, 1.0f / float(options.speed), nullptr, nullptr};
    seed_flite_rand(kNoiseSeed);
    if (!run_flite_guarded(&synthesize_utterance, &call))
      return Error(ErrorCode::kInternal, "flite hit an internal error on this text");
    cst_utterance* utt = call.utt;
    if (call.synthesized == nullptr) {
      delete_utterance(utt);  // utt_synth frees nothing on failure
      return Error(ErrorCode::kInternal, "flite failed to synthesise the text");
    }
    const cst_wave* wave = utt_wave(utt);
    if (wave && wave->num_samples > 0 && wave->samples)
      audio = pcm16_to_audio(wave->samples, std::size_t(wave->num_samples), wave->sample_rate);
    delete_utterance(utt);
    if (cancel.cancelled()) return Error(ErrorCode::kCancelled, "synthesis cancelled");
    return audio;
  }

 private:
  static const FliteVoice* find_voice(const std::string& name) {
    for (const auto& v : flite_voices())
      if (v.info.name == name) return &v;
    return nullptr;
  }
};

}  // namespace

Result<std::unique_ptr<Synthesizer>> make_flite_synthesizer(const Config& config) {
  flite_voices();  // register now, so the first request does not pay for it
  return std::unique_ptr<Synthesizer>(std::make_unique<FliteSynthesizer>());
}

}  // namespace vox
