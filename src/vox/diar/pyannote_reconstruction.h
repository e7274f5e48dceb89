// From per-window local activity + the window->speaker assignment to recording-wide turns, as
// pyannote reconstructs them: per output frame, the number of speakers is the (rounded) mean
// of the windows' active-speaker counts, and that many speakers with the highest mean activity
// are active.
#pragma once

#include <cstddef>
#include <vector>

#include "vox/diar/diarizer.h"
#include "vox/diar/pyannote_clustering.h"
#include "vox/diar/pyannote_segmentation.h"

namespace vox::diar {

struct ReconstructionParams {
  double min_duration_off = 0.0;  // same-speaker gaps shorter than this (s) are filled
  double min_duration_on = 0.0;   // turns shorter than this (s) are dropped
};

// Turns sorted by start; speakers renumbered 0.. by first appearance.
std::vector<SpeakerTurn> reconstruct_turns(const Segmentation& segmentation, const SpeakerAssignment& assignment,
                                           std::size_t num_samples, const ReconstructionParams& params);

}  // namespace vox::diar
