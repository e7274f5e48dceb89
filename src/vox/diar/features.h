// Per-recording frame features for diarization: which 10 ms frames are speech, their cepstra
// normalised over this recording only (no pretrained model: the recording is its own reference).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "vox/core/error.h"
#include "vox/core/progress.h"
#include "vox/vad/vad.h"

namespace vox::diar {

struct RecordingFeatures {
  int num_frames = 0;
  int dim = 0;
  std::vector<float> ceps;           // num_frames x dim; zeros outside speech
  std::vector<float> log_energy;     // per frame; -inf-ish outside speech
  std::vector<std::uint8_t> speech;  // 1 where the frame is used for diarization

  const float* frame(int i) const { return ceps.data() + std::size_t(i) * std::size_t(dim); }
  float* frame(int i) { return ceps.data() + std::size_t(i) * std::size_t(dim); }
  int speech_frames() const;
};

// Marks the frames covered by `regions` (clipped to the recording; unsorted or overlapping
// regions are fine).
std::vector<std::uint8_t> speech_mask(const std::vector<SpeechRegion>& regions, int num_frames);

// Removes silences longer than `max_pause_frames` inside the mask: frames whose log energy lies
// below a level between this recording's quiet floor and its speech level. Short pauses stay in:
// people's turns include them.
void drop_long_silences(RecordingFeatures& features, int max_pause_frames);

// Cepstra of every masked frame, polling `cancel` and reporting progress (0..`progress_share`
// of the "diarize" stage). Returns kCancelled when cancelled.
Result<RecordingFeatures> extract_features(std::span<const float> samples, const std::vector<SpeechRegion>& regions,
                                           const ProgressFn& progress, double progress_share,
                                           const CancelToken& cancel);

// Mean and variance normalisation over the speech frames (removes channel and noise colour).
void normalise_features(RecordingFeatures& features);

}  // namespace vox::diar
