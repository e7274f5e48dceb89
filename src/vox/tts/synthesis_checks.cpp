#include "vox/tts/synthesis_checks.h"

#include <cmath>
#include <string>

#include "vox/tts/text.h"

namespace vox {

Status check_synthesis_request(std::string_view text, const SynthesisOptions& options, const CancelToken& cancel) {
  if (auto st = check_utf8_input(text); !st) return st;
  if (!std::isfinite(options.speed) || options.speed < kMinSynthesisSpeed || options.speed > kMaxSynthesisSpeed)
    return Error(ErrorCode::kInvalidArgument, "speed must be between 0.25 and 4.0, got " + std::to_string(options.speed),
                 "speed");
  if (cancel.cancelled()) return Error(ErrorCode::kCancelled, "synthesis cancelled");
  return Status::Ok();
}

AudioBuffer pcm16_to_audio(const short* samples, std::size_t count, int sample_rate) {
  AudioBuffer audio;
  audio.sample_rate = sample_rate;
  audio.samples.resize(count);
  for (std::size_t i = 0; i < count; ++i) audio.samples[i] = float(samples[i]) / 32768.0f;
  return audio;
}

}  // namespace vox
