#include "vox/pipeline/speech_service.h"

#include "vox/tts/text.h"

namespace vox {

namespace {
size_t utf8_chars(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}
}  // namespace

const std::vector<std::pair<std::string, std::string>>& openai_voice_aliases() {
  // slt is the only female embedded voice; the male voices are spread over rms, awb and kal16.
  static const std::vector<std::pair<std::string, std::string>> aliases = {
      {"alloy", "slt"}, {"coral", "slt"},  {"nova", "slt"},  {"sage", "slt"},   {"shimmer", "slt"}, {"ash", "rms"},
      {"echo", "rms"},  {"ballad", "awb"}, {"fable", "awb"}, {"onyx", "kal16"}, {"verse", "kal16"},
  };
  return aliases;
}

std::vector<VoiceInfo> SpeechService::voices() {
  std::vector<VoiceInfo> out;
  for (Synthesizer* s : engines_.all_synthesizers())
    for (auto& v : s->voices()) out.push_back(std::move(v));
  return out;
}

Result<std::pair<Synthesizer*, VoiceInfo>> SpeechService::find_voice(const std::string& requested) {
  std::string name = requested;
  for (const auto& [alias, voice] : openai_voice_aliases())
    if (alias == requested) name = voice;
  if (name.empty()) {
    auto s = engines_.default_synthesizer();
    if (!s) return s.error();
    auto v = (*s)->voices();
    if (v.empty()) return Error(ErrorCode::kUnavailable, "the default synthesiser has no voices");
    return std::make_pair(*s, v.front());
  }
  // The default engine first, so its voices win a name clash.
  std::vector<Synthesizer*> order;
  if (auto d = engines_.default_synthesizer(); d) order.push_back(*d);
  for (Synthesizer* s : engines_.all_synthesizers())
    if (order.empty() || s != order.front()) order.push_back(s);
  for (Synthesizer* s : order)
    for (const auto& v : s->voices())
      if (v.name == name) return std::make_pair(s, v);
  return Error(ErrorCode::kInvalidArgument, "unknown voice '" + requested + "' (GET /v1/audio/voices lists them)", "voice");
}

Result<SpeechPlan> SpeechService::prepare(const SpeechRequest& r) {
  if (Status s = check_utf8_input(r.input); !s) return s.error();
  SpeechPlan plan;
  plan.characters = utf8_chars(r.input);
  if (plan.characters == 0) return Error(ErrorCode::kInvalidArgument, "input must not be empty", "input");
  if (plan.characters > kMaxSpeechInputChars)
    return Error(ErrorCode::kInvalidArgument,
                 "input is " + std::to_string(plan.characters) + " characters; the limit is " +
                     std::to_string(kMaxSpeechInputChars),
                 "input");
  if (!(r.speed >= 0.25f && r.speed <= 4.0f))
    return Error(ErrorCode::kInvalidArgument, "speed must be between 0.25 and 4.0", "speed");
  auto format = parse_audio_format(r.format);
  if (!format) return Error(ErrorCode::kInvalidArgument, format.error().message, "response_format");
  plan.format = *format;
  auto voice = find_voice(r.voice);
  if (!voice) return voice.error();
  plan.engine = voice->first;
  plan.voice = voice->second;
  plan.options.voice = plan.voice.name;
  plan.options.speed = r.speed;
  plan.options.language = r.language;
  // Normalisation is English-only; other languages go to the engine as written.
  bool english = plan.voice.language.empty() || plan.voice.language.rfind("en", 0) == 0;
  auto sentences = split_sentences(english ? normalize_english(r.input) : r.input);
  if (!sentences) return sentences.error();
  if (sentences->empty()) return Error(ErrorCode::kInvalidArgument, "input has nothing to say (no letters or digits)", "input");
  plan.sentences = std::move(*sentences);
  return plan;
}

Result<double> SpeechService::stream(const SpeechPlan& plan, const std::function<bool(std::string_view)>& sink,
                             const CancelToken& cancel) {
  auto encoder = AudioEncoder::create(plan.format, plan.voice.sample_rate, 0);
  if (!encoder) return encoder.error();
  double seconds = 0.0;
  for (const auto& sentence : plan.sentences) {
    if (cancel.cancelled()) return Error(ErrorCode::kCancelled, "speech cancelled");
    auto audio = plan.engine->synthesize(sentence, plan.options, cancel);
    if (!audio) return audio.error();
    seconds += audio->duration();
    auto bytes = (*encoder)->write(audio->samples);
    if (!bytes) return bytes.error();
    if (!bytes->empty() && !sink(*bytes)) return Error(ErrorCode::kCancelled, "client went away");
  }
  auto tail = (*encoder)->finish();
  if (!tail) return tail.error();
  if (!tail->empty() && !sink(*tail)) return Error(ErrorCode::kCancelled, "client went away");
  return seconds;
}

Result<AudioBuffer> SpeechService::synthesize_all(const SpeechPlan& plan, const CancelToken& cancel) {
  AudioBuffer all;
  all.sample_rate = plan.voice.sample_rate;
  for (const auto& sentence : plan.sentences) {
    auto audio = plan.engine->synthesize(sentence, plan.options, cancel);
    if (!audio) return audio.error();
    all.samples.insert(all.samples.end(), audio->samples.begin(), audio->samples.end());
  }
  return all;
}

}  // namespace vox
