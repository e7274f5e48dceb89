// A lossless JSON form of vox::Transcript (every field, words and speakers included), how a job's
// result is stored, so GET /v1/jobs/{id}?format=srt can re-render it in any output format later.
#pragma once

#include <string>

#include "vox/core/error.h"
#include "vox/format/transcript.h"

namespace vox::jobs {

std::string encode_transcript(const Transcript& t);
// kInternal when the text is not an encoded transcript (a corrupt or foreign store entry).
Result<Transcript> decode_transcript(const std::string& text);

}  // namespace vox::jobs
