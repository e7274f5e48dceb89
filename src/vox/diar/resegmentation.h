// Frame-level re-segmentation: given how well each speaker model explains each 10 ms frame, find
// the most likely speaker sequence when changing speaker has a fixed cost (Viterbi).
#pragma once

#include <vector>

namespace vox::diar {

// scores: num_frames x num_speakers log-likelihoods, row-major. Returns one speaker per frame
// maximising sum(score) - switch_penalty * (number of speaker changes).
std::vector<int> viterbi_labels(const std::vector<float>& scores, int num_frames, int num_speakers,
                                double switch_penalty);

// Replaces every frame's scores by their mean over a centred window of 2*half_width+1 frames
// (truncated at the ends): one frame says little about a voice, half a second says a lot.
void smooth_scores(std::vector<float>& scores, int num_frames, int num_speakers, int half_width);

}  // namespace vox::diar
