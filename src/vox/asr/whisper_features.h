// Whisper's log-mel input exactly as OpenAI's whisper.audio.log_mel_spectrogram computes it:
// audio zero-padded (or cut) to 30 s, centred STFT with reflect padding, n_fft 400 (a direct DFT:
// 400 is no power of two, and 3000 frames x 201 bins cost ~0.2 s, little next to the model),
// periodic Hann window, hop 160, power spectrum, slaney mel filterbank (80 or 128 bins),
// log10(max(x, 1e-10)), floored at (max - 8), then (x + 4) / 4. The last STFT frame is dropped,
// leaving 3000 frames of 10 ms.
#pragma once

#include <span>
#include <vector>

#include "vox/core/error.h"

namespace vox::asr {

class WhisperFeatureExtractor {
 public:
  static constexpr int kSampleRate = 16000;
  static constexpr int kSamples = 30 * kSampleRate;  // one 30 s window
  static constexpr int kFrames = 3000;
  static constexpr int kFft = 400;
  static constexpr int kHop = 160;

  static Result<WhisperFeatureExtractor> create(int n_mels);
  int n_mels() const { return n_mels_; }

  // Channel-first (n_mels x 3000), the layout of the encoder's "mel" input.
  std::vector<float> compute(std::span<const float> samples) const;

 private:
  explicit WhisperFeatureExtractor(int n_mels);
  int n_mels_;
  std::vector<double> window_;      // kFft
  std::vector<double> cos_, sin_;   // (kFft/2 + 1) x kFft DFT basis
  std::vector<double> filterbank_;  // n_mels x (kFft/2 + 1)
};

}  // namespace vox::asr
