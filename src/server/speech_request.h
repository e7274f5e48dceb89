// The speech routes' JSON body → SpeechRequest (POST /v1/audio/speech, POST /speak), apart from
// the routes so it can be unit-tested and fuzzed (fuzz/speech_request_fuzz.cpp) without a server.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "vox/core/error.h"
#include "vox/pipeline/speech_service.h"

namespace vox::server {

// A string field, or kInvalidArgument naming the field when it has another type; `fallback`
// when it is absent or null.
Result<std::string> string_field(const nlohmann::json& j, const char* name, const std::string& fallback);

// The request's input (under `text_field`: "input" or "text"), voice, response_format (default
// `default_format`), language and speed. Types only; values are checked by SpeechService::prepare.
Result<SpeechRequest> parse_speech(const nlohmann::json& j, const char* text_field, const std::string& default_format);

}  // namespace vox::server
