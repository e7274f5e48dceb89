// Voice activity detection: where in a recording somebody speaks.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "vox/core/error.h"
#include "vox/core/progress.h"

namespace vox {

struct SpeechRegion {
  double start = 0.0;  // seconds
  double end = 0.0;
};

// Mirrors OpenAI's chunking_strategy {type: "server_vad", threshold, prefix_padding_ms,
// silence_duration_ms}; min_speech_ms drops blips.
struct VadOptions {
  float threshold = 0.5f;        // speech probability (neural) / relative level (energy)
  // Padding kept before (and after) each region. OpenAI's server_vad default is 300; 100 keeps
  // short turn gaps visible to the diarizer (smoke DER 0 % vs 5 % with Silero at 300, bench/diar).
  int prefix_padding_ms = 100;
  int silence_duration_ms = 500; // a pause at least this long ends a region
  int min_speech_ms = 150;
};

class VoiceActivityDetector {
 public:
  virtual ~VoiceActivityDetector() = default;
  virtual std::string name() const = 0;
  // samples: 16 kHz mono. Thread-safe: may be called from several requests at once.
  virtual Result<std::vector<SpeechRegion>> detect(std::span<const float> samples, const VadOptions& options,
                                                   const ProgressFn& progress, const CancelToken& cancel) = 0;
};

}  // namespace vox
