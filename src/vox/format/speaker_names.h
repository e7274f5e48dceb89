// Renamed speakers for exports: the web page's (or any client's) names for the labels A, B, ...
// applied to a stored transcript before it is written, so every export format uses one set of
// writers — the server's.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "vox/core/error.h"
#include "vox/format/transcript.h"

namespace vox {

using SpeakerNames = std::map<std::string, std::string>;  // label -> display name

// A JSON object {"A": "Alice", ...}: string values, at most 64 entries of at most 200 bytes each.
// kInvalidArgument with param "speaker_names" otherwise.
Result<SpeakerNames> parse_speaker_names(std::string_view json);

// Every speaker field (segments, words, paragraphs, entities) that names a label in `names`.
void rename_speakers(Transcript& t, const SpeakerNames& names);

}  // namespace vox
