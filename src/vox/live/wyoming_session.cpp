#include "vox/live/wyoming_session.h"

#include "vox/audio/resampler.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>

#include "vox/tts/text.h"

namespace vox::live {

namespace {

constexpr const char* kAttributionName = "vox";
constexpr const char* kAttributionUrl = "https://github.com/";

nlohmann::json attribution() { return {{"name", kAttributionName}, {"url", kAttributionUrl}}; }

// A string field of an object, or `fallback` when absent / not a string.
std::string str(const nlohmann::json& j, const char* name, const std::string& fallback = {}) {
  if (j.is_object() && j.contains(name) && j[name].is_string()) return j[name].get<std::string>();
  return fallback;
}

// An integer field, or `fallback` when absent; an error when present with another type.
Result<long long> integer(const nlohmann::json& j, const char* name, long long fallback) {
  if (!j.is_object() || !j.contains(name) || j[name].is_null()) return fallback;
  if (!j[name].is_number_integer()) return Error(ErrorCode::kInvalidArgument, std::string(name) + " must be an integer", name);
  return j[name].get<long long>();
}

bool has_speakable(std::string_view text) {
  for (unsigned char c : text)
    if (std::isalnum(c) || c >= 0x80) return true;
  return false;
}

// Where the streamed text's last finished sentence ends: just past the last . ! ? ; or newline
// that is followed by whitespace (the text after it may still grow). npos when none.
size_t last_sentence_end(const std::string& text) {
  for (size_t i = text.size(); i-- > 1;) {
    char c = text[i];
    if (c == '\n') return i + 1;
    if (c == ' ' || c == '\t' || c == '\r') {
      char p = text[i - 1];
      if (p == '.' || p == '!' || p == '?' || p == ';') return i;
    }
  }
  return std::string::npos;
}

std::string pcm16(const std::vector<float>& samples) {
  std::string out(samples.size() * 2, '\0');
  for (size_t i = 0; i < samples.size(); ++i) {
    float f = std::clamp(samples[i], -1.0f, 1.0f);
    auto v = static_cast<int16_t>(std::lrint(f * 32767.0f));
    out[2 * i] = char(v & 0xFF);
    out[2 * i + 1] = char((v >> 8) & 0xFF);
  }
  return out;
}

}  // namespace

std::vector<float> resample_to_16k(const std::vector<float>& in, int rate) {
  if (rate == kAsrSampleRate || in.empty() || rate <= 0) return in;
  // The decoder's resampler (FFmpeg's swresample, properly filtered), not a second one of our own.
  ffmpeg::MonoResampler resampler(kAsrSampleRate);
  std::vector<float> out;
  if (!resampler.push(in.data(), int(in.size()), rate, out) || !resampler.flush(out)) return {};
  return out;
}

WyomingSession::WyomingSession(Transcriber& transcriber, SpeechService& speech, SendFn send, WyomingSessionOptions options)
    : transcriber_(transcriber), speech_(speech), send_(std::move(send)), options_(std::move(options)) {}

bool WyomingSession::send(WyomingEvent event) { return send_(event); }
bool WyomingSession::send_error(const Error& error) { return send(wyoming_error_event(error)); }

nlohmann::json WyomingSession::info() {
  const std::string version = VOX_VERSION;
  nlohmann::json models = nlohmann::json::array();
  for (const auto& e : transcriber_.engines().registries().recognizers.entries())
    models.push_back({{"name", e.name},
                      {"languages", {"en"}},
                      {"attribution", attribution()},
                      {"installed", true},
                      {"description", e.description},
                      {"version", version}});
  nlohmann::json voices = nlohmann::json::array();
  for (const auto& v : speech_.voices()) {
    std::string language = v.language.empty() ? "en" : v.language;
    voices.push_back({{"name", v.name},
                      {"languages", {language}},
                      {"attribution", attribution()},
                      {"installed", true},
                      {"description", v.engine + " voice " + v.name},
                      {"version", version},
                      {"speakers", nullptr}});
  }
  return {{"asr",
           {{{"name", "vox"},
             {"attribution", attribution()},
             {"installed", true},
             {"description", "vox speech recognition"},
             {"version", version},
             {"models", models},
             {"supports_transcript_streaming", true}}}},
          {"tts",
           {{{"name", "vox"},
             {"attribution", attribution()},
             {"installed", true},
             {"description", "vox speech synthesis"},
             {"version", version},
             {"voices", voices},
             {"supports_synthesize_streaming", true}}}},
          {"handle", nlohmann::json::array()},
          {"intent", nlohmann::json::array()},
          {"wake", nlohmann::json::array()},
          {"mic", nlohmann::json::array()},
          {"snd", nlohmann::json::array()}};
}

bool WyomingSession::handle(const WyomingEvent& event) {
  const std::string& t = event.type;
  const nlohmann::json& d = event.data;
  if (t == "describe") return send({"info", info(), {}});
  if (t == "ping") return send({"pong", {{"text", str(d, "text")}}, {}});
  if (t == "transcribe") return on_transcribe(d);
  if (t == "audio-start") return on_audio_start(d);
  if (t == "audio-chunk") return on_audio_chunk(event);
  if (t == "audio-stop") return on_audio_stop();
  if (t == "synthesize") return on_synthesize(d);
  if (t == "synthesize-start") return on_synthesize_start(d);
  if (t == "synthesize-chunk") return on_synthesize_chunk(d);
  if (t == "synthesize-stop") return on_synthesize_stop();
  return true;  // events of other services (wake, intent, ...) are not ours: ignored, as the protocol asks
}

// ---- speech to text ----

void WyomingSession::reset_audio() {
  audio_open_ = false;
  audio_failed_ = false;
  audio_rate_ = 0;
  audio_.clear();
  audio_.shrink_to_fit();
}

bool WyomingSession::on_transcribe(const nlohmann::json& d) {
  request_ = TranscriptionRequest{};
  std::string name = str(d, "name");
  // A model name we know picks the recogniser; anything else (a program name) means the default.
  if (!name.empty() && transcriber_.engines().registries().recognizers.find(name)) request_.engine = name;
  request_.recognize.language = str(d, "language");
  return true;
}

bool WyomingSession::on_audio_start(const nlohmann::json&) {
  reset_audio();
  audio_open_ = true;
  return true;
}

bool WyomingSession::on_audio_chunk(const WyomingEvent& event) {
  if (!audio_open_) return send_error(Error(ErrorCode::kInvalidArgument, "audio-chunk before audio-start"));
  if (audio_failed_) return true;
  auto fail = [&](Error e) {
    audio_failed_ = true;
    audio_.clear();
    audio_.shrink_to_fit();
    return send_error(e);
  };
  auto rate = integer(event.data, "rate", 0);
  auto width = integer(event.data, "width", 0);
  auto channels = integer(event.data, "channels", 0);
  for (auto* r : {&rate, &width, &channels})
    if (!*r) return fail(r->error());
  if (*width != 2)
    return fail(Error(ErrorCode::kInvalidAudio, "only 16-bit audio is supported (width 2), got width " + std::to_string(*width),
                      "width"));
  if (*rate < 1000 || *rate > 384000)
    return fail(Error(ErrorCode::kInvalidAudio, "rate must be 1000..384000 Hz, got " + std::to_string(*rate), "rate"));
  if (*channels < 1 || *channels > 32)
    return fail(Error(ErrorCode::kInvalidAudio, "channels must be 1..32, got " + std::to_string(*channels), "channels"));
  if (audio_rate_ != 0 && audio_rate_ != *rate)
    return fail(Error(ErrorCode::kInvalidAudio, "the sample rate changed within one audio stream", "rate"));
  const size_t frame = size_t(*width) * size_t(*channels);
  if (event.payload.size() % frame != 0)
    return fail(Error(ErrorCode::kInvalidAudio, "the audio-chunk payload is not a whole number of samples"));
  const size_t frames = event.payload.size() / frame;
  if (double(audio_.size() + frames) / double(*rate) > options_.max_audio_seconds)
    return fail(Error(ErrorCode::kTooLong, "more than " + std::to_string(int(options_.max_audio_seconds)) +
                                               " seconds of audio in one stream"));
  audio_rate_ = int(*rate);
  const auto* p = reinterpret_cast<const unsigned char*>(event.payload.data());
  audio_.reserve(audio_.size() + frames);
  for (size_t i = 0; i < frames; ++i) {
    float sum = 0;
    for (long long c = 0; c < *channels; ++c, p += 2) sum += float(int16_t(uint16_t(p[0]) | uint16_t(p[1]) << 8));
    audio_.push_back(sum / (32768.0f * float(*channels)));
  }
  return true;
}

bool WyomingSession::on_audio_stop() {
  if (!audio_open_) return send_error(Error(ErrorCode::kInvalidArgument, "audio-stop before audio-start"));
  if (audio_failed_) {  // the error was sent with the chunk that failed
    reset_audio();
    return true;
  }
  AudioBuffer audio;
  audio.sample_rate = kAsrSampleRate;
  audio.samples = resample_to_16k(audio_, audio_rate_);
  reset_audio();
  if (audio.samples.empty()) return send_error(Error(ErrorCode::kEmptyInput, "no audio between audio-start and audio-stop"));
  Admission::Ticket ticket;
  if (options_.admission) {
    auto t = options_.admission->enter(options_.cancel);
    if (!t) return send_error(t.error());
    ticket = std::move(*t);
  }
  auto transcript = transcriber_.transcribe_audio(audio, request_, nullptr, options_.cancel);
  if (!transcript) {
    if (transcript.error().code == ErrorCode::kCancelled) return false;
    return send_error(transcript.error());
  }
  const std::string& language = transcript->language;
  if (!send({"transcript-start", {{"language", language}}, {}})) return false;
  for (const auto& s : transcript->segments) {
    if (s.text.empty()) continue;
    if (!send({"transcript-chunk", {{"text", s.text}}, {}})) return false;
  }
  if (!send({"transcript-stop", nlohmann::json::object(), {}})) return false;
  return send({"transcript", {{"text", transcript->text}, {"language", language}}, {}});
}

// ---- text to speech ----

Result<bool> WyomingSession::speak(const std::string& text) {
  if (!has_speakable(text)) return true;
  SpeechRequest r;
  r.input = text;
  r.voice = voice_name_;
  r.format = "wav";
  r.language = voice_language_;
  auto plan = speech_.prepare(r);
  if (!plan) return plan.error();
  for (const auto& sentence : plan->sentences) {
    if (options_.cancel.cancelled()) return false;
    auto audio = plan->engine->synthesize(sentence, plan->options, options_.cancel);
    if (!audio) {
      if (audio.error().code == ErrorCode::kCancelled) return false;
      return audio.error();
    }
    if (!speech_started_) {
      speech_rate_ = audio->sample_rate;
      speech_started_ = true;
      if (!send({"audio-start", {{"rate", speech_rate_}, {"width", 2}, {"channels", 1}, {"timestamp", 0}}, {}}))
        return false;
    }
    if (audio->samples.empty()) continue;
    if (!send({"audio-chunk", {{"rate", audio->sample_rate}, {"width", 2}, {"channels", 1}}, pcm16(audio->samples)}))
      return false;
  }
  return true;
}

bool WyomingSession::finish_speech() {
  bool ok = true;
  if (speech_started_) ok = send({"audio-stop", nlohmann::json::object(), {}});
  speech_started_ = false;
  speech_rate_ = 0;
  return ok;
}

bool WyomingSession::on_synthesize(const nlohmann::json& d) {
  if (streaming_text_) return true;  // sent alongside synthesize-start..stop for older servers: ignored
  const auto& voice = d.is_object() && d.contains("voice") && d["voice"].is_object() ? d["voice"] : nlohmann::json::object();
  voice_name_ = str(voice, "name");
  voice_language_ = str(voice, "language");
  std::string text = str(d, "text");
  if (text.empty() || !has_speakable(text))
    return send_error(Error(ErrorCode::kInvalidArgument, "synthesize needs a text with something to say", "text"));
  auto spoken = speak(text);
  if (!spoken) {
    if (!send_error(spoken.error())) return false;
    return finish_speech();
  }
  if (!*spoken) return false;
  return finish_speech();
}

bool WyomingSession::on_synthesize_start(const nlohmann::json& d) {
  const auto& voice = d.is_object() && d.contains("voice") && d["voice"].is_object() ? d["voice"] : nlohmann::json::object();
  voice_name_ = str(voice, "name");
  voice_language_ = str(voice, "language");
  streaming_text_ = true;
  stream_failed_ = false;
  pending_text_.clear();
  speech_started_ = false;
  return true;
}

bool WyomingSession::on_synthesize_chunk(const nlohmann::json& d) {
  if (!streaming_text_) return send_error(Error(ErrorCode::kInvalidArgument, "synthesize-chunk before synthesize-start"));
  if (stream_failed_) return true;
  pending_text_ += str(d, "text");
  size_t end = last_sentence_end(pending_text_);
  // No sentence end for a long while: speak what there is rather than buffer without bound.
  if (end == std::string::npos && pending_text_.size() >= kMaxSpeechInputChars) end = pending_text_.size();
  if (end == std::string::npos) return true;
  std::string finished = pending_text_.substr(0, end);
  pending_text_.erase(0, end);
  auto spoken = speak(finished);
  if (!spoken) {
    stream_failed_ = true;
    return send_error(spoken.error());
  }
  return *spoken;
}

bool WyomingSession::on_synthesize_stop() {
  if (!streaming_text_) return send_error(Error(ErrorCode::kInvalidArgument, "synthesize-stop before synthesize-start"));
  streaming_text_ = false;
  bool ok = true;
  if (!stream_failed_) {
    auto spoken = speak(pending_text_);
    if (!spoken) ok = send_error(spoken.error());
    else if (!*spoken) return false;
  }
  pending_text_.clear();
  stream_failed_ = false;
  if (!ok || !finish_speech()) return false;
  return send({"synthesize-stopped", nlohmann::json::object(), {}});
}

}  // namespace vox::live
