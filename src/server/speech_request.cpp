#include "server/speech_request.h"

namespace vox::server {

Result<std::string> string_field(const nlohmann::json& j, const char* name, const std::string& fallback) {
  if (!j.contains(name) || j[name].is_null()) return fallback;
  if (!j[name].is_string()) return Error(ErrorCode::kInvalidArgument, std::string(name) + " must be a string", name);
  return j[name].get<std::string>();
}

Result<SpeechRequest> parse_speech(const nlohmann::json& j, const char* text_field, const std::string& default_format) {
  SpeechRequest r;
  auto input = string_field(j, text_field, "");
  if (!input) return input.error();
  r.input = *input;
  auto voice = string_field(j, "voice", "");
  if (!voice) return voice.error();
  r.voice = *voice;
  auto format = string_field(j, "response_format", default_format);
  if (!format) return format.error();
  r.format = *format;
  auto language = string_field(j, "language", "");
  if (!language) return language.error();
  r.language = *language;
  if (j.contains("speed")) {
    if (!j["speed"].is_number()) return Error(ErrorCode::kInvalidArgument, "speed must be a number", "speed");
    r.speed = j["speed"].get<float>();
  }
  return r;
}

}  // namespace vox::server
