// Speaker diarization interface: who spoke when.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "vox/core/error.h"
#include "vox/core/progress.h"
#include "vox/vad/vad.h"

namespace vox {

struct SpeakerTurn {
  double start = 0.0;
  double end = 0.0;
  int speaker = 0;  // 0-based cluster index, ordered by first appearance
};

struct DiarizeOptions {
  int num_speakers = 0;  // exact count when > 0
  int min_speakers = 0;  // lower bound when > 0
  int max_speakers = 0;  // upper bound when > 0
};

class Diarizer {
 public:
  virtual ~Diarizer() = default;
  virtual std::string name() const = 0;
  // samples: 16 kHz mono; speech: regions from the VAD. Thread-safe.
  virtual Result<std::vector<SpeakerTurn>> diarize(std::span<const float> samples,
                                                   const std::vector<SpeechRegion>& speech,
                                                   const DiarizeOptions& options, const ProgressFn& progress,
                                                   const CancelToken& cancel) = 0;
};

}  // namespace vox
