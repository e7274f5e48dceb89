// PCM audio as every engine sees it: mono float samples in [-1, 1].
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace vox {

inline constexpr int kAsrSampleRate = 16000;

struct AudioBuffer {
  std::vector<float> samples;
  int sample_rate = kAsrSampleRate;

  double duration() const { return sample_rate > 0 ? double(samples.size()) / sample_rate : 0.0; }
  std::span<const float> view() const { return samples; }
};

// A window of a longer recording, with its absolute position (seconds) in that recording.
struct AudioChunk {
  std::span<const float> samples;  // 16 kHz mono
  double offset = 0.0;             // start time of samples[0] in the whole recording
  int index = 0;                   // position among the chunks of one request
};

}  // namespace vox
