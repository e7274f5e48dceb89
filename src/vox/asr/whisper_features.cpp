#include "vox/asr/whisper_features.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "vox/asr/nemo_features.h"  // slaney_mel_filterbank

namespace vox::asr {

Result<WhisperFeatureExtractor> WhisperFeatureExtractor::create(int n_mels) {
  if (n_mels != 80 && n_mels != 128)
    return Error(ErrorCode::kUnavailable, "Whisper models have 80 or 128 mel bins, not " + std::to_string(n_mels));
  return WhisperFeatureExtractor(n_mels);
}

WhisperFeatureExtractor::WhisperFeatureExtractor(int n_mels)
    : n_mels_(n_mels),
      window_(kFft),
      filterbank_(slaney_mel_filterbank(n_mels, kFft, kSampleRate, 0.0, kSampleRate / 2.0)) {
  const int bins = kFft / 2 + 1;
  for (int n = 0; n < kFft; ++n) window_[n] = 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * n / kFft);  // periodic
  cos_.resize(std::size_t(bins) * kFft);
  sin_.resize(std::size_t(bins) * kFft);
  for (int k = 0; k < bins; ++k)
    for (int n = 0; n < kFft; ++n) {
      const double a = 2.0 * std::numbers::pi * double((std::int64_t(k) * n) % kFft) / kFft;
      cos_[std::size_t(k) * kFft + n] = std::cos(a);
      sin_[std::size_t(k) * kFft + n] = std::sin(a);
    }
}

std::vector<float> WhisperFeatureExtractor::compute(std::span<const float> samples) const {
  // 30 s of audio, reflect-padded by n_fft/2 on both sides (torch.stft center=True).
  const int pad = kFft / 2;
  std::vector<double> x(std::size_t(kSamples + 2 * pad), 0.0);
  const std::size_t n = std::min<std::size_t>(samples.size(), kSamples);
  for (std::size_t i = 0; i < n; ++i) x[pad + i] = samples[i];
  for (int i = 1; i <= pad; ++i) {
    x[std::size_t(pad - i)] = x[std::size_t(pad + i)];
    x[std::size_t(pad + kSamples - 1 + i)] = x[std::size_t(pad + kSamples - 1 - i)];
  }
  const int bins = kFft / 2 + 1;
  std::vector<double> logmel(std::size_t(n_mels_) * kFrames);
  std::vector<double> frame(kFft), power(bins);
  double top = -1e30;
  for (int t = 0; t < kFrames; ++t) {
    const double* src = x.data() + std::size_t(t) * kHop;
    for (int j = 0; j < kFft; ++j) frame[j] = src[j] * window_[j];
    for (int k = 0; k < bins; ++k) {
      const double* c = cos_.data() + std::size_t(k) * kFft;
      const double* s = sin_.data() + std::size_t(k) * kFft;
      double re = 0, im = 0;
      for (int j = 0; j < kFft; ++j) {
        re += frame[j] * c[j];
        im -= frame[j] * s[j];
      }
      power[k] = re * re + im * im;
    }
    for (int m = 0; m < n_mels_; ++m) {
      const double* w = filterbank_.data() + std::size_t(m) * bins;
      double e = 0;
      for (int k = 0; k < bins; ++k) e += w[k] * power[k];
      const double v = std::log10(std::max(e, 1e-10));
      logmel[std::size_t(m) * kFrames + t] = v;
      top = std::max(top, v);
    }
  }
  std::vector<float> out(logmel.size());
  for (std::size_t i = 0; i < logmel.size(); ++i) out[i] = float((std::max(logmel[i], top - 8.0) + 4.0) / 4.0);
  return out;
}

}  // namespace vox::asr
