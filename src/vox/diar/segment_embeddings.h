// Fixed-length windows over the speech frames and one statistics vector ("embedding") per
// window: the mean and spread of its cepstra describe the voice that spoke in it.
#pragma once

#include <vector>

#include "vox/diar/features.h"

namespace vox::diar {

struct Window {
  int begin = 0;  // first frame
  int end = 0;    // one past the last frame
  int centre() const { return (begin + end) / 2; }
};

// Windows of `length` frames every `hop` frames inside each run of speech frames. A run shorter
// than `length` but at least `min_length` long gets one window; the last window of a run is
// aligned to its end so no speech is left uncovered.
std::vector<Window> make_windows(const std::vector<std::uint8_t>& speech, int length, int hop, int min_length);

// Frames loud enough to describe a voice (pauses and breaths inside speech regions are not):
// the speech frames at or above the `quantile` of this recording's speech frame energies.
std::vector<std::uint8_t> voiced_frames(const RecordingFeatures& features, double quantile);

// Per window [mean | standard deviation] of the voiced frames' cepstra (all frames if none is
// voiced), then centred on the mean over windows so cosine distances compare voices, not the
// recording's average.
std::vector<std::vector<float>> window_embeddings(const RecordingFeatures& features,
                                                  const std::vector<std::uint8_t>& voiced,
                                                  const std::vector<Window>& windows, bool with_spread);

// For every frame, the index of the window whose centre is nearest among the windows that
// contain it; -1 for frames in no window.
std::vector<int> nearest_window(const std::vector<Window>& windows, int num_frames);

}  // namespace vox::diar
