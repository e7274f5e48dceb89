// The transcription form (multipart fields of /v1/audio/transcriptions and /v1/jobs, and the CLI's
// options): every field through set_transcription_field, then finish_transcription_options, as
// server/transcription_routes.cpp does. Input: one "name=value" field per line.
#include <cstdint>
#include <string>

#include "fuzz_input.h"
#include "vox/pipeline/known_speakers.h"
#include "vox/pipeline/request_fields.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  vox::TranscriptionOptions options;
  for (std::string_view line : vox::fuzz::split(vox::fuzz::as_view(data, size), '\n')) {
    auto eq = line.find('=');
    std::string_view name = line.substr(0, eq);
    std::string_view value = eq == std::string_view::npos ? std::string_view() : line.substr(eq + 1);
    (void)vox::set_transcription_field(options, name, value);
  }
  vox::Status s = vox::finish_transcription_options(options, [](const std::string& name) { return name == "sphinx"; });
  if (s) {
    // What the transcriber does next with the known speakers' clips.
    for (const auto& ref : options.known_speaker_references) (void)vox::decode_reference(ref);
  }
  (void)vox::output_format_name(options.format);
  return 0;
}
