#include "vox/live/realtime_protocol.h"

#include <nlohmann/json.hpp>
#include <random>

#include "vox/audio/resampler.h"
#include "vox/core/base64.h"

namespace vox::realtime {

using nlohmann::json;

namespace {

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

ProtocolError invalid(std::string code, std::string message, std::string param = {}) {
  ProtocolError e;
  e.code = std::move(code);
  e.message = std::move(message);
  e.param = std::move(param);
  return e;
}

// Reads an optional string field; null counts as "". A wrong type is an error.
std::optional<ProtocolError> read_string(const json& obj, const char* key, const std::string& param, std::string& out) {
  auto it = obj.find(key);
  if (it == obj.end()) return std::nullopt;
  if (it->is_null()) {
    out.clear();
    return std::nullopt;
  }
  if (!it->is_string()) return invalid("invalid_type", "'" + param + "' must be a string", param);
  out = it->get<std::string>();
  return std::nullopt;
}

std::optional<ProtocolError> apply_transcription(const json& t, const std::string& param, SessionConfig& c) {
  if (t.is_null()) return std::nullopt;
  if (!t.is_object()) return invalid("invalid_type", "'" + param + "' must be an object", param);
  if (auto e = read_string(t, "model", param + ".model", c.model)) return e;
  if (auto e = read_string(t, "language", param + ".language", c.language)) return e;
  if (auto e = read_string(t, "prompt", param + ".prompt", c.prompt)) return e;
  return std::nullopt;
}

std::optional<ProtocolError> apply_turn_detection(const json& t, const std::string& param, SessionConfig& c) {
  if (t.is_null()) {
    c.server_vad = false;
    return std::nullopt;
  }
  if (!t.is_object()) return invalid("invalid_type", "'" + param + "' must be an object or null", param);
  std::string type = "server_vad";
  if (auto e = read_string(t, "type", param + ".type", type)) return e;
  // semantic_vad has no model here: it is served by the same voice activity detector.
  if (type != "server_vad" && type != "semantic_vad")
    return invalid("invalid_value", "Invalid value: '" + type + "'. Supported values are: 'server_vad' and 'semantic_vad'.",
                   param + ".type");
  VadOptions vad = c.vad;
  if (auto it = t.find("threshold"); it != t.end() && !it->is_null()) {
    if (!it->is_number() || it->get<double>() < 0 || it->get<double>() > 1)
      return invalid("invalid_value", "'threshold' must be a number between 0 and 1", param + ".threshold");
    vad.threshold = it->get<float>();
  }
  auto read_ms = [&](const char* key, int& out) -> std::optional<ProtocolError> {
    auto it = t.find(key);
    if (it == t.end() || it->is_null()) return std::nullopt;
    if (!it->is_number() || it->get<double>() < 0 || it->get<double>() > 60000)
      return invalid("invalid_value", std::string("'") + key + "' must be a number of milliseconds (0 to 60000)",
                     param + "." + key);
    out = static_cast<int>(it->get<double>());
    return std::nullopt;
  };
  if (auto e = read_ms("prefix_padding_ms", vad.prefix_padding_ms)) return e;
  if (auto e = read_ms("silence_duration_ms", vad.silence_duration_ms)) return e;
  c.vad = vad;
  c.server_vad = true;
  return std::nullopt;
}

// GA: {"type":"audio/pcm","rate":24000} | {"type":"audio/pcmu"} | {"type":"audio/pcma"}.
std::optional<ProtocolError> apply_ga_format(const json& f, const std::string& param, SessionConfig& c) {
  if (f.is_null()) return std::nullopt;
  if (!f.is_object()) return invalid("invalid_type", "'" + param + "' must be an object", param);
  std::string type = "audio/pcm";
  if (auto e = read_string(f, "type", param + ".type", type)) return e;
  AudioFormat fmt;
  if (type == "audio/pcm") {
    fmt.encoding = AudioEncoding::kPcm16;
    fmt.rate = 24000;
    if (auto it = f.find("rate"); it != f.end() && !it->is_null()) {
      if (!it->is_number_integer() || it->get<int>() < 8000 || it->get<int>() > 48000)
        return invalid("invalid_value", "'rate' must be a sample rate in Hz (24000; vox also takes 8000 to 48000)",
                       param + ".rate");
      fmt.rate = it->get<int>();
    }
  } else if (type == "audio/pcmu") {
    fmt = {AudioEncoding::kG711Ulaw, 8000};
  } else if (type == "audio/pcma") {
    fmt = {AudioEncoding::kG711Alaw, 8000};
  } else {
    return invalid("invalid_value",
                   "Invalid value: '" + type + "'. Supported values are: 'audio/pcm', 'audio/pcmu', and 'audio/pcma'.",
                   param + ".type");
  }
  c.format = fmt;
  return std::nullopt;
}

// beta: "pcm16" | "g711_ulaw" | "g711_alaw".
std::optional<ProtocolError> apply_beta_format(const json& f, const std::string& param, SessionConfig& c) {
  if (f.is_null()) return std::nullopt;
  if (!f.is_string()) return invalid("invalid_type", "'" + param + "' must be a string", param);
  std::string v = f.get<std::string>();
  if (v == "pcm16") c.format = {AudioEncoding::kPcm16, 24000};
  else if (v == "g711_ulaw") c.format = {AudioEncoding::kG711Ulaw, 8000};
  else if (v == "g711_alaw") c.format = {AudioEncoding::kG711Alaw, 8000};
  else
    return invalid("invalid_value",
                   "Invalid value: '" + v + "'. Supported values are: 'pcm16', 'g711_ulaw', and 'g711_alaw'.", param);
  return std::nullopt;
}

std::optional<ProtocolError> apply_session(const json& s, SessionConfig& c) {
  if (!s.is_object()) return invalid("invalid_type", "'session' must be an object", "session");
  if (auto it = s.find("type"); it != s.end() && !it->is_null()) {
    if (!it->is_string() || it->get<std::string>() != "transcription")
      return invalid("invalid_value", "vox serves transcription sessions only: session.type must be 'transcription'",
                     "session.type");
  }
  // GA shape.
  if (auto audio = s.find("audio"); audio != s.end() && !audio->is_null()) {
    if (!audio->is_object()) return invalid("invalid_type", "'session.audio' must be an object", "session.audio");
    if (auto input = audio->find("input"); input != audio->end() && !input->is_null()) {
      if (!input->is_object())
        return invalid("invalid_type", "'session.audio.input' must be an object", "session.audio.input");
      if (auto f = input->find("format"); f != input->end())
        if (auto e = apply_ga_format(*f, "session.audio.input.format", c)) return e;
      if (auto t = input->find("transcription"); t != input->end())
        if (auto e = apply_transcription(*t, "session.audio.input.transcription", c)) return e;
      if (auto t = input->find("turn_detection"); t != input->end())
        if (auto e = apply_turn_detection(*t, "session.audio.input.turn_detection", c)) return e;
    }
  }
  // Beta shape (also read inside session.update: older clients mix them).
  if (auto f = s.find("input_audio_format"); f != s.end())
    if (auto e = apply_beta_format(*f, "session.input_audio_format", c)) return e;
  if (auto t = s.find("input_audio_transcription"); t != s.end())
    if (auto e = apply_transcription(*t, "session.input_audio_transcription", c)) return e;
  if (auto t = s.find("turn_detection"); t != s.end())
    if (auto e = apply_turn_detection(*t, "session.turn_detection", c)) return e;
  if (auto inc = s.find("include"); inc != s.end() && !inc->is_null()) {
    if (!inc->is_array()) return invalid("invalid_type", "'session.include' must be an array", "session.include");
    std::vector<std::string> include;
    for (const auto& v : *inc) {
      if (!v.is_string()) return invalid("invalid_type", "'session.include' must hold strings", "session.include");
      include.push_back(v.get<std::string>());
    }
    c.include = std::move(include);
  }
  return std::nullopt;
}

json turn_detection_json(const SessionConfig& c) {
  if (!c.server_vad) return nullptr;
  return {{"type", "server_vad"},
          {"threshold", c.vad.threshold},
          {"prefix_padding_ms", c.vad.prefix_padding_ms},
          {"silence_duration_ms", c.vad.silence_duration_ms}};
}

json transcription_json(const SessionConfig& c) {
  return {{"model", c.model},
          {"language", c.language.empty() ? json(nullptr) : json(c.language)},
          {"prompt", c.prompt}};
}

}  // namespace

ParsedEvent parse_client_event(std::string_view text, const SessionConfig& current) {
  ParsedEvent out;
  json j = json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    out.error = invalid("invalid_json", "The client event is not a JSON object.");
    return out;
  }
  std::string event_id;
  if (auto it = j.find("event_id"); it != j.end() && it->is_string()) event_id = it->get<std::string>();
  auto fail = [&](ProtocolError e) {
    e.event_id = event_id;
    out.error = std::move(e);
    return out;
  };
  auto type_it = j.find("type");
  if (type_it == j.end() || !type_it->is_string())
    return fail(invalid("missing_field", "The client event has no 'type' string.", "type"));
  const std::string type = type_it->get<std::string>();
  ClientEvent ev;
  ev.event_id = event_id;
  if (type == "session.update" || type == "transcription_session.update") {
    ev.type = ClientEvent::Type::kSessionUpdate;
    ev.dialect = type == "session.update" ? Dialect::kGa : Dialect::kBeta;
    ev.session = current;
    auto s = j.find("session");
    if (s == j.end()) return fail(invalid("missing_field", "Missing required parameter: 'session'.", "session"));
    if (auto e = apply_session(*s, ev.session)) return fail(*e);
  } else if (type == "input_audio_buffer.append") {
    ev.type = ClientEvent::Type::kAppend;
    auto a = j.find("audio");
    if (a == j.end() || !a->is_string())
      return fail(invalid("missing_field", "Missing required parameter: 'audio' (base64 audio).", "audio"));
    auto bytes = base64_decode(a->get<std::string_view>());
    if (!bytes) return fail(invalid("invalid_value", "'audio' is not valid base64.", "audio"));
    ev.audio = std::move(*bytes);
  } else if (type == "input_audio_buffer.commit") {
    ev.type = ClientEvent::Type::kCommit;
  } else if (type == "input_audio_buffer.clear") {
    ev.type = ClientEvent::Type::kClear;
  } else {
    return fail(invalid("invalid_value",
                        "Invalid value: '" + type +
                            "'. A transcription session takes session.update, transcription_session.update, "
                            "input_audio_buffer.append, input_audio_buffer.commit and input_audio_buffer.clear.",
                        "type"));
  }
  out.event = std::move(ev);
  return out;
}

std::string partial_delta(std::string_view sent, std::string_view now) {
  if (now.size() >= sent.size() && now.substr(0, sent.size()) == sent) return std::string(now.substr(sent.size()));
  return "";
}

ServerEvents::ServerEvents(std::string session_id) : session_id_(std::move(session_id)) {}

std::string ServerEvents::next_id() {
  static const std::uint64_t salt = std::random_device{}();
  char buf[48];
  std::snprintf(buf, sizeof(buf), "event_%06llx%010llx", static_cast<unsigned long long>(salt & 0xffffff),
                static_cast<unsigned long long>(++counter_));
  return buf;
}

std::string ServerEvents::session_json(const SessionConfig& c, Dialect dialect, const std::string& id) {
  json s;
  if (dialect == Dialect::kGa) {
    json format;
    switch (c.format.encoding) {
      case AudioEncoding::kPcm16: format = {{"type", "audio/pcm"}, {"rate", c.format.rate}}; break;
      case AudioEncoding::kG711Ulaw: format = {{"type", "audio/pcmu"}}; break;
      case AudioEncoding::kG711Alaw: format = {{"type", "audio/pcma"}}; break;
    }
    s = {{"type", "transcription"},
         {"id", id},
         {"object", "realtime.transcription_session"},
         {"audio",
          {{"input",
            {{"format", format},
             {"transcription", transcription_json(c)},
             {"turn_detection", turn_detection_json(c)},
             {"noise_reduction", nullptr}}}}},
         {"include", c.include}};
  } else {
    const char* format = c.format.encoding == AudioEncoding::kPcm16     ? "pcm16"
                         : c.format.encoding == AudioEncoding::kG711Ulaw ? "g711_ulaw"
                                                                        : "g711_alaw";
    s = {{"id", id},
         {"object", "realtime.transcription_session"},
         {"modalities", {"text"}},
         {"input_audio_format", format},
         {"input_audio_transcription", transcription_json(c)},
         {"turn_detection", turn_detection_json(c)},
         {"input_audio_noise_reduction", nullptr},
         {"include", c.include}};
  }
  return dump(s);
}

std::string ServerEvents::session_created(const SessionConfig& c, Dialect d) {
  json j = {{"type", d == Dialect::kGa ? "session.created" : "transcription_session.created"},
            {"event_id", next_id()},
            {"session", json::parse(session_json(c, d, session_id_))}};
  return dump(j);
}

std::string ServerEvents::session_updated(const SessionConfig& c, Dialect d) {
  json j = {{"type", d == Dialect::kGa ? "session.updated" : "transcription_session.updated"},
            {"event_id", next_id()},
            {"session", json::parse(session_json(c, d, session_id_))}};
  return dump(j);
}

std::string ServerEvents::speech_started(const std::string& item_id, double ms) {
  return dump({{"type", "input_audio_buffer.speech_started"},
               {"event_id", next_id()},
               {"item_id", item_id},
               {"audio_start_ms", static_cast<std::int64_t>(ms + 0.5)}});
}

std::string ServerEvents::speech_stopped(const std::string& item_id, double ms) {
  return dump({{"type", "input_audio_buffer.speech_stopped"},
               {"event_id", next_id()},
               {"item_id", item_id},
               {"audio_end_ms", static_cast<std::int64_t>(ms + 0.5)}});
}

std::string ServerEvents::committed(const std::string& item_id, const std::string& previous_item_id) {
  return dump({{"type", "input_audio_buffer.committed"},
               {"event_id", next_id()},
               {"item_id", item_id},
               {"previous_item_id", previous_item_id.empty() ? json(nullptr) : json(previous_item_id)}});
}

std::string ServerEvents::cleared() { return dump({{"type", "input_audio_buffer.cleared"}, {"event_id", next_id()}}); }

std::string ServerEvents::delta(const std::string& item_id, const std::string& delta, const std::string& text) {
  return dump({{"type", "conversation.item.input_audio_transcription.delta"},
               {"event_id", next_id()},
               {"item_id", item_id},
               {"content_index", 0},
               {"delta", delta},
               {"text", text}});
}

std::string ServerEvents::completed(const std::string& item_id, const std::string& transcript, const std::string& speaker,
                                    const std::vector<Word>& words, double audio_seconds, float confidence,
                                    double audio_start_ms, double audio_end_ms) {
  json w = json::array();
  for (const auto& word : words) {
    json x = {{"word", word.text}, {"start", word.start}, {"end", word.end}, {"confidence", word.confidence}};
    if (!word.speaker.empty()) x["speaker"] = word.speaker;
    w.push_back(std::move(x));
  }
  return dump({{"type", "conversation.item.input_audio_transcription.completed"},
               {"event_id", next_id()},
               {"item_id", item_id},
               {"content_index", 0},
               {"transcript", transcript},
               {"usage", {{"type", "duration"}, {"seconds", audio_seconds}}},
               // vox's extras:
               {"speaker", speaker.empty() ? json(nullptr) : json(speaker)},
               {"words", w},
               {"confidence", confidence},
               {"audio_start_ms", static_cast<std::int64_t>(audio_start_ms + 0.5)},
               {"audio_end_ms", static_cast<std::int64_t>(audio_end_ms + 0.5)}});
}

std::string ServerEvents::failed(const std::string& item_id, const ProtocolError& e) {
  return dump({{"type", "conversation.item.input_audio_transcription.failed"},
               {"event_id", next_id()},
               {"item_id", item_id},
               {"content_index", 0},
               {"error",
                {{"type", e.type}, {"code", e.code}, {"message", e.message}, {"param", e.param.empty() ? json(nullptr) : json(e.param)}}}});
}

std::string ServerEvents::error(const ProtocolError& e) {
  return dump({{"type", "error"},
               {"event_id", next_id()},
               {"error",
                {{"type", e.type},
                 {"code", e.code.empty() ? json(nullptr) : json(e.code)},
                 {"message", e.message},
                 {"param", e.param.empty() ? json(nullptr) : json(e.param)},
                 {"event_id", e.event_id.empty() ? json(nullptr) : json(e.event_id)}}}});
}

// ---- audio ----

std::int16_t ulaw_to_linear(std::uint8_t code) {
  code = static_cast<std::uint8_t>(~code);
  const int sign = code & 0x80;
  const int exponent = (code >> 4) & 0x07;
  const int mantissa = code & 0x0F;
  int sample = (((mantissa << 3) + 0x84) << exponent) - 0x84;
  return static_cast<std::int16_t>(sign ? -sample : sample);
}

std::int16_t alaw_to_linear(std::uint8_t code) {
  code ^= 0x55;
  const int sign = code & 0x80;
  const int exponent = (code >> 4) & 0x07;
  const int mantissa = code & 0x0F;
  int sample = exponent == 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
  return static_cast<std::int16_t>(sign ? sample : -sample);
}

RealtimeAudioDecoder::RealtimeAudioDecoder(AudioFormat format) : format_(format) {
  if (format_.rate != 16000) resampler_ = std::make_unique<ffmpeg::MonoResampler>(16000);
}

RealtimeAudioDecoder::~RealtimeAudioDecoder() = default;

Result<std::vector<float>> RealtimeAudioDecoder::decode(std::string_view bytes) {
  std::vector<float> in;
  if (format_.encoding == AudioEncoding::kPcm16) {
    std::string joined;
    if (!carry_.empty()) {
      joined = carry_ + std::string(bytes);
      bytes = joined;
      carry_.clear();
    }
    const std::size_t n = bytes.size() / 2;
    in.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      const auto lo = static_cast<std::uint8_t>(bytes[2 * i]);
      const auto hi = static_cast<std::uint8_t>(bytes[2 * i + 1]);
      in[i] = static_cast<float>(static_cast<std::int16_t>(lo | (hi << 8))) / 32768.0f;
    }
    if (bytes.size() % 2) carry_.assign(1, bytes.back());
  } else {
    in.resize(bytes.size());
    const bool ulaw = format_.encoding == AudioEncoding::kG711Ulaw;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
      const auto b = static_cast<std::uint8_t>(bytes[i]);
      in[i] = static_cast<float>(ulaw ? ulaw_to_linear(b) : alaw_to_linear(b)) / 32768.0f;
    }
  }
  if (!resampler_ || in.empty()) return in;
  std::vector<float> out;
  out.reserve(in.size() * 16000 / format_.rate + 64);
  if (Status s = resampler_->push(in.data(), static_cast<int>(in.size()), format_.rate, out); !s) return s.error();
  return out;
}

}  // namespace vox::realtime
