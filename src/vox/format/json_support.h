// Helpers shared by the JSON writers: number rounding, UTF-8-safe dumping, OpenAI's usage block.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "vox/format/transcript.h"

namespace vox::json_support {

using Json = nlohmann::ordered_json;  // keeps keys in OpenAI's order

// Rounds to `decimals` places; non-finite values become 0 (JSON has no NaN/Infinity).
double rounded(double value, int decimals = 3);

// Serialises compactly; invalid UTF-8 is replaced by U+FFFD rather than throwing.
std::string dump(const Json& value);

// {"type": "duration", "seconds": N}: N is the audio duration rounded up to whole seconds, which
// is how OpenAI bills and reports it.
Json usage(const Transcript& t);

// t.text, or the segment texts joined by spaces when t.text was never filled in.
std::string full_text(const Transcript& t);

// The text stage's results beside OpenAI's fields, each only when it was asked for:
// "paragraphs": [{start, end, speaker, text, sentences: [{start, end, text}], sentiment?}],
// "entities": [{type, text, start, end, speaker}], "sentiment": {label, score}.
void add_text_annotations(Json& out, const Transcript& t);

}  // namespace vox::json_support
