// Transcription request fields by name, shared by the HTTP form (`num_speakers=2`) and the CLI
// (`--num-speakers 2`), so both accept exactly the same options with the same validation.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "vox/format/writers.h"
#include "vox/pipeline/transcription.h"

namespace vox {

struct TranscriptionOptions {
  TranscriptionRequest request;
  OutputFormat format = OutputFormat::kJson;
  WriteOptions write;
  std::string model;              // as given by the client
  bool diarize_given = false;     // the client said diarize=true/false explicitly
  bool stream = false;            // stream=true: server-sent events
  std::vector<std::string> known_speaker_names;       // known_speaker_names[], in order
  std::vector<std::string> known_speaker_references;  // known_speaker_references[] (data: URLs)
};

// Sets one field; names as in OpenAI's API ("timestamp_granularities[]", "response_format", ...).
// Dashes are accepted for underscores (CLI style). Unknown names → kInvalidArgument.
Status set_transcription_field(TranscriptionOptions& options, std::string_view name, std::string_view value);

// Completes the options once every field is set: the `model` → engine mapping (`is_engine`
// tells whether a name is an installed recogniser; any other model name, such as OpenAI's
// "whisper-1", selects the configured default engine), the default for `diarize` (on for
// formats that can show speakers, off for json and text unless asked), and cross-field checks.
Status finish_transcription_options(TranscriptionOptions& options,
                                    const std::function<bool(const std::string&)>& is_engine);

// Names accepted by set_transcription_field, for --help.
const char* transcription_fields_help();

}  // namespace vox
