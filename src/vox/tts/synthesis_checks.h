// Request checks shared by every synthesiser, so all engines reject bad input the same way.
#pragma once

#include <string_view>

#include "vox/core/error.h"
#include "vox/core/progress.h"
#include "vox/tts/synthesizer.h"

namespace vox {

inline constexpr float kMinSynthesisSpeed = 0.25f;
inline constexpr float kMaxSynthesisSpeed = 4.0f;

// Valid UTF-8 text (param "input"), speed within 0.25..4.0 (param "speed"), not cancelled.
Status check_synthesis_request(std::string_view text, const SynthesisOptions& options, const CancelToken& cancel);

// Samples of a 16-bit PCM buffer as floats in [-1, 1).
AudioBuffer pcm16_to_audio(const short* samples, std::size_t count, int sample_rate);

}  // namespace vox
