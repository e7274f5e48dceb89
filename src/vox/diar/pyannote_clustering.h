// Links the pyannote windows' local speakers into recording-wide speakers: average-linkage
// cosine clustering of their embeddings (diar/clustering.h), then a constrained assignment so
// that two local speakers of one window never become the same speaker.
#pragma once

#include <cstddef>
#include <vector>

#include "vox/diar/diarizer.h"

namespace vox::diar {

struct LocalSpeakerEmbedding {
  std::size_t window = 0;
  int local = 0;                 // local speaker index within the window
  std::vector<float> embedding;  // L2-normalised
  bool clean = true;             // from frames where this speaker alone was active
};

struct SpeakerAssignment {
  int num_speakers = 0;
  // [window][local] -> speaker 0..num_speakers-1, or -1 (no embedding / no slot left).
  std::vector<std::vector<int>> speaker;
};

// Clean embeddings shape the clusters (all of them when none is clean). The count is
// options.num_speakers when set, else where average linkage passes `threshold` (cosine
// distance), clamped to [min_speakers, max_speakers] (default_max when max_speakers is 0).
// Then every embedding goes to its most similar centroid, distinct within a window.
SpeakerAssignment assign_speakers(const std::vector<LocalSpeakerEmbedding>& items, std::size_t num_windows,
                                  int local_speakers, const DiarizeOptions& options, double threshold,
                                  int default_max);

}  // namespace vox::diar
