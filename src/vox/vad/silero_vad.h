// Silero VAD v5 (ONNX): a speech probability for every 32 ms, turned into regions the way
// silero's get_speech_timestamps does it.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "vox/core/config.h"
#include "vox/onnx/onnx_session.h"
#include "vox/vad/vad.h"

namespace vox {

inline constexpr int kSileroWindow = 512;   // new samples per model call at 16 kHz
inline constexpr int kSileroContext = 64;   // samples of the previous window prepended

// Regions from per-window probabilities (window i covers samples [i*512, (i+1)*512)):
// a region starts at the first window >= threshold and ends once the probability stays below
// threshold - 0.15 for silence_duration_ms; regions shorter than min_speech_ms are dropped; each
// keeps prefix_padding_ms either side (half the gap when two regions are closer than that).
std::vector<SpeechRegion> speech_regions_from_probabilities(std::span<const float> probabilities,
                                                            std::size_t num_samples, const VadOptions& options);

// The detector on one model file. Returns kModelNotFound / kUnavailable when the file is missing
// or is not a Silero v5 model (inputs input/state/sr, outputs output/stateN).
Result<std::unique_ptr<VoiceActivityDetector>> make_silero_vad_from(const std::string& model_path,
                                                                    const OnnxOptions& options);

// Factory for the registry: <models_dir>/silero_vad.onnx when present, else the weights
// scripts/setup unpacked.
Result<std::unique_ptr<VoiceActivityDetector>> make_silero_vad(const Config& config);

}  // namespace vox
