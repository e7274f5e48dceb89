// POST /v1/audio/diarization's json: who spoke when, no text.
#include "vox/format/json_support.h"
#include "vox/format/writers.h"

namespace vox {

std::string write_diarization_json(const Transcript& t) {
  using json_support::Json;
  using json_support::rounded;
  Json segments = Json::array();
  for (const auto& s : t.segments)
    segments.push_back(Json{{"start", rounded(s.start)}, {"end", rounded(s.end)}, {"speaker", s.speaker.empty() ? "A" : s.speaker}});
  Json out;
  out["duration"] = rounded(t.duration);
  out["segments"] = std::move(segments);
  return json_support::dump(out);
}

}  // namespace vox
