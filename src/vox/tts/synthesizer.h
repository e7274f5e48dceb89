// Speech synthesiser interface. One implementation file per engine.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "vox/audio/audio.h"
#include "vox/core/error.h"
#include "vox/core/progress.h"

namespace vox {

struct VoiceInfo {
  std::string name;      // unique across engines, e.g. "slt", "en-us", "en_US-lessac-medium"
  std::string engine;    // flite | espeak | piper
  std::string language;  // BCP-47-ish, e.g. "en-US"
  std::string gender;    // "female" | "male" | "" when unknown
  int sample_rate = 0;
};

struct SynthesisOptions {
  std::string voice;     // a VoiceInfo::name of this engine
  float speed = 1.0f;    // 0.25..4.0
  std::string language;  // optional override (espeak)
};

class Synthesizer {
 public:
  virtual ~Synthesizer() = default;
  virtual std::string name() const = 0;
  virtual std::vector<VoiceInfo> voices() const = 0;
  // Synthesises one sentence (the caller splits text). Thread-safe.
  virtual Result<AudioBuffer> synthesize(std::string_view sentence, const SynthesisOptions& options,
                                         const CancelToken& cancel) = 0;
};

}  // namespace vox
