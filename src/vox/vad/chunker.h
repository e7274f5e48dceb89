// Cuts a recording into recogniser-sized pieces at pauses.
#pragma once

#include <span>
#include <vector>

#include "vox/vad/vad.h"

namespace vox {

struct ChunkPlan {
  double start = 0.0;  // seconds
  double end = 0.0;
};

// Groups speech regions into chunks of at most max_chunk_s, cutting only in pauses between
// regions; a single region longer than max_chunk_s is cut at its quietest 10 ms frame near the
// limit. Chunks keep `pad_s` of context either side (clamped to the recording) and never overlap.
std::vector<ChunkPlan> plan_chunks(const std::vector<SpeechRegion>& speech, std::span<const float> samples,
                                   int sample_rate, double max_chunk_s, double pad_s = 0.2);

}  // namespace vox
