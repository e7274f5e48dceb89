// Piper: VITS voices (NAME.onnx + NAME.onnx.json) from the models dir, run on ONNX Runtime.
//
// Voices are found and their configs parsed once, when the engine is created; a voice's model
// is loaded on its first request and then shared (ORT's Run is thread-safe), so an engine with
// many voices starts fast and a server without any voices still starts (voices() is empty).
// Phonemes come from espeak-ng under EspeakRuntime's lock (piper_espeak.cpp); everything after
// that runs without a lock, so concurrent requests only serialise for the sub-millisecond
// phonemisation. Output follows Piper: each sentence is peak-normalised and followed by 0.2 s of
// silence (Piper's sentence_silence).
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>

#include <nlohmann/json.hpp>

#include "vox/engines/factories.h"
#include "vox/onnx/model_paths.h"
#include "vox/onnx/onnx_session.h"
#include "vox/tts/piper_voice.h"
#include "vox/tts/synthesis_checks.h"

namespace vox {
namespace {

constexpr double kSentenceSilenceSeconds = 0.2;  // Piper's default
constexpr float kMinPeak = 0.01f;                // Piper never amplifies by more than 100x

struct PiperVoice {
  PiperVoiceFiles files;
  PiperVoiceConfig config;
  OnnxOptions onnx;
  std::once_flag once;
  std::unique_ptr<OnnxSession> session;  // set by the first request
  std::optional<Error> failure;          // or why the model did not load (kept: no retry storm)

  Result<const OnnxSession*> get() {
    std::call_once(once, [this] {
      auto s = OnnxSession::load(files.model, onnx);
      if (s) session = std::move(*s);
      else failure = Error(ErrorCode::kUnavailable, "Piper voice '" + files.name + "': " + s.error().message);
    });
    if (failure) return *failure;
    return static_cast<const OnnxSession*>(session.get());
  }
};

void warn(const std::string& message) {
  std::fprintf(stderr, "%s\n", nlohmann::json{{"level", "warn"}, {"engine", "piper"}, {"message", message}}
                                   .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
}

bool same_language(const std::string& a, const std::string& b) {
  auto primary = [](const std::string& s) {
    std::string p = s.substr(0, s.find_first_of("-_"));
    std::transform(p.begin(), p.end(), p.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return p;
  };
  return primary(a) == primary(b);
}

class PiperSynthesizer final : public Synthesizer {
 public:
  PiperSynthesizer(std::vector<std::unique_ptr<PiperVoice>> voices, std::string dir)
      : voices_(std::move(voices)), dir_(std::move(dir)) {}

  std::string name() const override { return "piper"; }

  // One entry per voice, plus NAME:SPEAKER for each named speaker of a multi-speaker voice, so
  // that every speaker can be asked for by name through the OpenAI API's single voice field.
  std::vector<VoiceInfo> voices() const override {
    std::vector<VoiceInfo> out;
    for (const auto& v : voices_) {
      VoiceInfo info{v->files.name, "piper", v->config.language, "", v->config.sample_rate};
      out.push_back(info);
      for (const auto& [speaker, id] : v->config.speakers) {
        info.name = v->files.name + ":" + speaker;
        out.push_back(info);
      }
    }
    return out;
  }

  Result<AudioBuffer> synthesize(std::string_view sentence, const SynthesisOptions& options,
                                 const CancelToken& cancel) override {
    if (auto st = check_synthesis_request(sentence, options, cancel); !st) return st.error();
    if (voices_.empty())
      return Error(ErrorCode::kNotFound,
                   "no Piper voices installed (put NAME.onnx and NAME.onnx.json into " + dir_ + ")", "voice");
    const std::string requested = options.voice.empty() ? voices_.front()->files.name : options.voice;
    const std::string base = requested.substr(0, requested.find(':'));
    PiperVoice* voice = find(base);
    if (!voice) return Error(ErrorCode::kNotFound, "Piper has no voice '" + requested + "'", "voice");
    auto speaker = speaker_id(*voice, requested);
    if (!speaker) return speaker.error();
    const PiperVoiceConfig& cfg = voice->config;
    if (!options.language.empty() && !cfg.language.empty() && !same_language(options.language, cfg.language))
      return Error(ErrorCode::kInvalidArgument,
                   "Piper voice '" + base + "' speaks " + cfg.language + ", not '" + options.language + "'", "language");

    std::u32string phonemes;
    if (cfg.phoneme_type == "text") {
      phonemes = text_phonemes(sentence);
    } else {
      auto p = espeak_phonemes(sentence, cfg.espeak_voice);
      if (!p) return p.error();
      phonemes = std::move(*p);
    }
    AudioBuffer audio;
    audio.sample_rate = cfg.sample_rate;
    if (std::all_of(phonemes.begin(), phonemes.end(), [](char32_t c) { return c == U' '; })) return audio;
    std::vector<std::int64_t> ids = phonemes_to_ids(phonemes, cfg.phoneme_id_map);

    auto session = voice->get();
    if (!session) return session.error();
    if (cancel.cancelled()) return Error(ErrorCode::kCancelled, "synthesis cancelled");
    const std::vector<std::int64_t> lengths = {std::int64_t(ids.size())};
    const std::vector<float> scales = {cfg.noise_scale, cfg.length_scale / options.speed, cfg.noise_w};
    const std::vector<std::int64_t> sid = {*speaker};
    std::vector<InputTensor> inputs = {InputTensor::int64s("input", {1, std::int64_t(ids.size())}, ids),
                                       InputTensor::int64s("input_lengths", {1}, lengths),
                                       InputTensor::floats("scales", {3}, scales)};
    // Single-speaker Piper exports have no sid input; multi-speaker ones require it.
    if ((*session)->input("sid")) inputs.push_back(InputTensor::int64s("sid", {1}, sid));
    else if (*speaker != 0)
      return Error(ErrorCode::kInvalidArgument, "Piper voice '" + base + "' has a single speaker", "voice");
    auto outputs = (*session)->run(inputs);
    if (!outputs) return outputs.error();
    const OutputTensor* wave = nullptr;
    for (const auto& o : *outputs)
      if (o.name == "output") wave = &o;
    if (!wave && !outputs->empty()) wave = &outputs->front();
    if (!wave || wave->type != TensorType::kFloat)
      return Error(ErrorCode::kInternal, "Piper voice '" + base + "' did not produce float audio");
    if (cancel.cancelled()) return Error(ErrorCode::kCancelled, "synthesis cancelled");

    float peak = kMinPeak;
    for (float s : wave->f32)
      if (std::isfinite(s)) peak = std::max(peak, std::fabs(s));
    audio.samples.reserve(wave->f32.size() + std::size_t(kSentenceSilenceSeconds * cfg.sample_rate));
    for (float s : wave->f32) audio.samples.push_back(std::isfinite(s) ? std::clamp(s / peak, -1.0f, 1.0f) : 0.0f);
    audio.samples.resize(audio.samples.size() + std::size_t(std::lround(kSentenceSilenceSeconds * cfg.sample_rate)), 0.0f);
    return audio;
  }

 private:
  PiperVoice* find(const std::string& name) const {
    for (const auto& v : voices_)
      if (v->files.name == name) return v.get();
    return nullptr;
  }

  // NAME -> 0 (Piper's default speaker); NAME:SPEAKER by speaker_id_map, or a number below
  // num_speakers.
  static Result<std::int64_t> speaker_id(const PiperVoice& v, const std::string& requested) {
    const auto colon = requested.find(':');
    if (colon == std::string::npos) return std::int64_t(0);
    const std::string speaker = requested.substr(colon + 1);
    for (const auto& [name, id] : v.config.speakers)
      if (name == speaker) return id;
    if (!speaker.empty() && speaker.size() < 8 && std::all_of(speaker.begin(), speaker.end(), [](unsigned char c) { return std::isdigit(c) != 0; })) {
      const std::int64_t id = std::stoll(speaker);
      if (id < v.config.num_speakers) return id;
    }
    return Error(ErrorCode::kNotFound, "Piper voice '" + v.files.name + "' has no speaker '" + speaker + "'", "voice");
  }

  std::vector<std::unique_ptr<PiperVoice>> voices_;
  std::string dir_;
};

}  // namespace

Result<std::unique_ptr<Synthesizer>> make_piper_synthesizer(const Config& config) {
  const std::string dir = models_dir(config);
  std::vector<std::unique_ptr<PiperVoice>> voices;
  for (auto& files : find_piper_voices(dir)) {
    auto cfg = load_piper_config(files.config);
    if (!cfg) {  // one broken voice must not take the others (or the server) down
      warn("skipping voice '" + files.name + "': " + cfg.error().message);
      continue;
    }
    auto v = std::make_unique<PiperVoice>();
    v->files = std::move(files);
    v->config = std::move(*cfg);
    v->onnx = onnx_options_from(config.engines);
    voices.push_back(std::move(v));
  }
  return std::unique_ptr<Synthesizer>(std::make_unique<PiperSynthesizer>(std::move(voices), dir));
}

}  // namespace vox
