// response_format=diarized_json, the schema of OpenAI's gpt-4o-transcribe-diarize.
#include <cstdio>

#include "vox/format/json_support.h"
#include "vox/format/writers.h"

namespace vox {

std::string write_diarized_json(const Transcript& t) {
  using json_support::Json;
  using json_support::rounded;
  Json segments = Json::array();
  int n = 0;
  for (const auto& s : t.segments) {
    char id[32];
    std::snprintf(id, sizeof id, "seg_%03d", ++n);
    // A transcript that was never diarized is one unknown speaker; "A" is what the first
    // diarized speaker would be called, so clients always get a non-empty label.
    Json seg{{"type", "transcript.text.segment"}, {"id", id},        {"start", rounded(s.start)},
             {"end", rounded(s.end)},             {"text", s.text}, {"speaker", s.speaker.empty() ? "A" : s.speaker}};
    segments.push_back(std::move(seg));
  }
  Json out;
  out["task"] = "transcribe";
  out["duration"] = rounded(t.duration);
  out["text"] = json_support::full_text(t);
  out["segments"] = std::move(segments);
  json_support::add_text_annotations(out, t);
  out["usage"] = json_support::usage(t);
  return json_support::dump(out);
}

}  // namespace vox
