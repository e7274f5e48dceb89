// speaker_names ({"A": "Alice"}: GET /v1/jobs/{id}/result) on arbitrary JSON, applied to a
// transcript that is then written as SRT and diarized JSON.
#include <cstdint>

#include "fuzz_input.h"
#include "vox/format/speaker_names.h"
#include "vox/format/writers.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto names = vox::parse_speaker_names(vox::fuzz::as_view(data, size));
  if (!names) return 0;
  vox::Transcript t;
  t.diarized = true;
  t.duration = 3;
  t.segments.push_back({0, 0.0, 1.0, "hello there", {{"hello", 0.0, 0.5, 1.0f, "A"}, {"there", 0.5, 1.0, 1.0f, "A"}}, "A"});
  t.segments.push_back({1, 1.5, 2.5, "hi", {{"hi", 1.5, 2.5, 1.0f, "B"}}, "B"});
  t.entities.push_back({"person", "there", 0.5, 1.0, "A"});
  vox::rename_speakers(t, *names);
  (void)vox::write_srt(t);
  (void)vox::write_diarized_json(t);
  return 0;
}
