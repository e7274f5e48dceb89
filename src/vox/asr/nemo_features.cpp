#include "vox/asr/nemo_features.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>

namespace vox::asr {

namespace {

constexpr double kPreemphasis = 0.97;
constexpr double kLogGuard = 1.0 / 16777216.0;  // 2^-24, NeMo's log_zero_guard_value
constexpr double kStdEpsilon = 1e-5;            // NeMo's CONSTANT added to the std

// librosa's slaney mel scale: linear below 1 kHz, logarithmic above.
constexpr double kFsp = 200.0 / 3.0;
constexpr double kMinLogHz = 1000.0;
constexpr double kMinLogMel = kMinLogHz / kFsp;

double log_step() { return std::log(6.4) / 27.0; }

double hz_to_mel(double hz) {
  return hz >= kMinLogHz ? kMinLogMel + std::log(hz / kMinLogHz) / log_step() : hz / kFsp;
}

double mel_to_hz(double mel) {
  return mel >= kMinLogMel ? kMinLogHz * std::exp(log_step() * (mel - kMinLogMel)) : kFsp * mel;
}

}  // namespace

Result<FeatureNormalize> parse_normalize_type(std::string_view text) {
  if (text == "per_feature") return FeatureNormalize::kPerFeature;
  if (text.empty() || text == "NA" || text == "None" || text == "none") return FeatureNormalize::kNone;
  return Error(ErrorCode::kUnavailable,
               "unsupported feature normalisation '" + std::string(text) + "' (per_feature or none)");
}

std::vector<double> slaney_mel_filterbank(int n_mels, int n_fft, int sample_rate, double fmin, double fmax) {
  const int bins = n_fft / 2 + 1;
  std::vector<double> fft_hz(bins);
  for (int k = 0; k < bins; ++k) fft_hz[k] = double(k) * sample_rate / n_fft;
  // n_mels + 2 points evenly spaced in mel: each filter spans three neighbours.
  std::vector<double> mel_hz(n_mels + 2);
  const double lo = hz_to_mel(fmin), hi = hz_to_mel(fmax);
  for (int i = 0; i < n_mels + 2; ++i) mel_hz[i] = mel_to_hz(lo + (hi - lo) * i / (n_mels + 1));
  std::vector<double> weights(std::size_t(n_mels) * bins, 0.0);
  for (int m = 0; m < n_mels; ++m) {
    const double left = mel_hz[m], centre = mel_hz[m + 1], right = mel_hz[m + 2];
    const double enorm = 2.0 / (right - left);  // slaney: each filter has unit area
    for (int k = 0; k < bins; ++k) {
      const double rising = (fft_hz[k] - left) / (centre - left);
      const double falling = (right - fft_hz[k]) / (right - centre);
      weights[std::size_t(m) * bins + k] = std::max(0.0, std::min(rising, falling)) * enorm;
    }
  }
  return weights;
}

Result<NemoFeatureExtractor> NemoFeatureExtractor::create(const NemoFeatureConfig& config) {
  if (config.n_mels < 1 || config.n_mels > 256)
    return Error(ErrorCode::kUnavailable, "unsupported number of mel bins " + std::to_string(config.n_mels) +
                                              " (expected 64, 80 or 128)");
  return NemoFeatureExtractor(config);
}

NemoFeatureExtractor::NemoFeatureExtractor(const NemoFeatureConfig& config)
    : config_(config),
      fft_(kFft),
      window_(kFft, 0.0),
      filterbank_(slaney_mel_filterbank(config.n_mels, kFft, kSampleRate, 0.0, kSampleRate / 2.0)) {
  // torch.hann_window(400, periodic=False), placed in the middle of the 512-point frame as
  // torch.stft does when win_length < n_fft.
  const int offset = (kFft - kWindow) / 2;
  for (int n = 0; n < kWindow; ++n)
    window_[offset + n] = 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * n / (kWindow - 1));
}

Features NemoFeatureExtractor::compute(std::span<const float> samples) const {
  Features out;
  out.n_mels = config_.n_mels;
  if (samples.empty()) return out;
  const std::size_t n = samples.size();
  const int frames = int(n / kHop) + 1;
  out.frames = frames;
  out.data.assign(std::size_t(frames) * out.n_mels, 0.0f);

  // Pre-emphasised signal with n_fft/2 zeros on each side (centred STFT, constant padding).
  const std::size_t pad = kFft / 2;
  std::vector<double> x(n + 2 * pad, 0.0);
  x[pad] = samples[0];
  for (std::size_t i = 1; i < n; ++i) x[pad + i] = double(samples[i]) - kPreemphasis * double(samples[i - 1]);

  const int bins = kFft / 2 + 1;
  std::vector<std::complex<double>> frame(kFft);
  std::vector<double> power(bins);
  std::vector<double> logmel(std::size_t(frames) * out.n_mels);
  for (int t = 0; t < frames; ++t) {
    const std::size_t start = std::size_t(t) * kHop;
    for (int j = 0; j < kFft; ++j) frame[j] = {x[start + j] * window_[j], 0.0};
    fft_.forward(frame);
    for (int k = 0; k < bins; ++k) power[k] = std::norm(frame[k]);
    for (int m = 0; m < out.n_mels; ++m) {
      const double* w = filterbank_.data() + std::size_t(m) * bins;
      double e = 0.0;
      for (int k = 0; k < bins; ++k) e += w[k] * power[k];
      logmel[std::size_t(t) * out.n_mels + m] = std::log(e + kLogGuard);
    }
  }

  if (config_.normalize == FeatureNormalize::kPerFeature) {
    for (int m = 0; m < out.n_mels; ++m) {
      double mean = 0.0;
      for (int t = 0; t < frames; ++t) mean += logmel[std::size_t(t) * out.n_mels + m];
      mean /= frames;
      double var = 0.0;
      for (int t = 0; t < frames; ++t) {
        const double d = logmel[std::size_t(t) * out.n_mels + m] - mean;
        var += d * d;
      }
      // Unbiased (n - 1) like torch.std; a single frame has no spread, and NeMo would refuse it.
      const double stddev = (frames > 1 ? std::sqrt(var / (frames - 1)) : 0.0) + kStdEpsilon;
      for (int t = 0; t < frames; ++t) {
        const std::size_t i = std::size_t(t) * out.n_mels + m;
        logmel[i] = (logmel[i] - mean) / stddev;
      }
    }
  }
  std::transform(logmel.begin(), logmel.end(), out.data.begin(), [](double v) { return float(v); });
  return out;
}

FeatureBatch batch_features(const NemoFeatureExtractor& extractor, const std::vector<std::span<const float>>& chunks) {
  FeatureBatch out;
  std::vector<Features> features;
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    if (chunks[i].empty()) continue;
    features.push_back(extractor.compute(chunks[i]));
    out.index.push_back(i);
    out.lengths.push_back(features.back().frames);
    out.max_frames = std::max<std::int64_t>(out.max_frames, features.back().frames);
  }
  const std::size_t n_mels = features.empty() ? 0 : std::size_t(features.front().n_mels);
  const std::size_t stride = n_mels * std::size_t(out.max_frames);
  out.packed.assign(features.size() * stride, 0.0f);
  for (std::size_t b = 0; b < features.size(); ++b) {
    float* dst = out.packed.data() + b * stride;
    for (int t = 0; t < features[b].frames; ++t)
      for (std::size_t m = 0; m < n_mels; ++m) dst[m * std::size_t(out.max_frames) + std::size_t(t)] = features[b].at(t, int(m));
  }
  return out;
}

}  // namespace vox::asr
