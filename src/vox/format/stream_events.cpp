// stream=true on /v1/audio/transcriptions: the server-sent events of OpenAI's streaming
// transcription. diarized_json streams one `transcript.text.segment` per segment (with its
// speaker); every other format streams `transcript.text.delta` pieces. Both end with
// `transcript.text.done` carrying the whole text and the usage.
#include "vox/format/json_support.h"
#include "vox/format/writers.h"

namespace vox {

std::vector<std::string> transcript_stream_events(const Transcript& t, OutputFormat format) {
  using json_support::Json;
  using json_support::rounded;
  std::vector<std::string> events;
  int n = 0;
  for (const auto& s : t.segments) {
    Json e;
    if (format == OutputFormat::kDiarizedJson) {
      char id[32];
      std::snprintf(id, sizeof id, "seg_%03d", ++n);
      e = Json{{"type", "transcript.text.segment"}, {"id", id}, {"start", rounded(s.start)}, {"end", rounded(s.end)},
               {"text", s.text}, {"speaker", s.speaker.empty() ? "A" : s.speaker}};
    } else {
      e = Json{{"type", "transcript.text.delta"}, {"delta", (n++ ? " " : "") + s.text}};
    }
    events.push_back(json_support::dump(e));
  }
  Json done{{"type", "transcript.text.done"}, {"text", json_support::full_text(t)}, {"usage", json_support::usage(t)}};
  events.push_back(json_support::dump(done));
  return events;
}

}  // namespace vox
