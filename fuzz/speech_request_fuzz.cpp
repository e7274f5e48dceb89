// The speech routes' JSON body (POST /v1/audio/speech, POST /speak): parse, then parse_speech
// for both routes and the stream_format field, as server/speech_routes.cpp does.
#include <cstdint>
#include <nlohmann/json.hpp>

#include "fuzz_input.h"
#include "server/speech_request.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto j = nlohmann::json::parse(vox::fuzz::as_view(data, size), nullptr, false);
  if (j.is_discarded() || !j.is_object()) return 0;
  auto openai = vox::server::parse_speech(j, "input", "mp3");
  if (openai) VOX_FUZZ_CHECK(!openai->format.empty() || (j.contains("response_format") && j["response_format"].is_string()));
  (void)vox::server::parse_speech(j, "text", "wav");
  (void)vox::server::string_field(j, "stream_format", "audio");
  return 0;
}
