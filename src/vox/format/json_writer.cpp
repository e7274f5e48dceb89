// response_format=json: {"text": ..., "usage": {...}} as OpenAI's transcription endpoint returns.
#include "vox/format/json_support.h"
#include "vox/format/writers.h"

namespace vox {

std::string write_json(const Transcript& t) {
  using json_support::Json;
  Json out;
  out["text"] = json_support::full_text(t);
  json_support::add_text_annotations(out, t);
  out["usage"] = json_support::usage(t);
  return json_support::dump(out);
}

}  // namespace vox
