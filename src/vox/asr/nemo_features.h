// Log-mel features exactly as NeMo's AudioToMelSpectrogramPreprocessor computes them at inference
// (FilterbankFeatures, eval mode: no dither), so exported NeMo models (QuartzNet, Conformer CTC,
// Parakeet TDT/RNNT) see the input they were trained on:
//   pre-emphasis 0.97 -> centred STFT (zero padding of n_fft/2 each side, symmetric Hann window of
//   400 samples zero-padded to n_fft 512, hop 160) -> power spectrum -> slaney-scale, slaney-
//   normalised mel filterbank 0..8000 Hz -> ln(x + 2^-24) -> optional per-feature normalisation
//   (mean and unbiased std over the frames, std + 1e-5).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vox/asr/fft.h"
#include "vox/core/error.h"

namespace vox::asr {

enum class FeatureNormalize { kNone, kPerFeature };

// The exporters' metadata value: "per_feature"; "", "NA" and "None" mean no normalisation.
// Anything else (e.g. "all_features", which no exported model we support uses) -> kUnavailable.
Result<FeatureNormalize> parse_normalize_type(std::string_view text);

struct NemoFeatureConfig {
  int n_mels = 80;  // 64 (QuartzNet), 80 (Conformer), 128 (Parakeet)
  FeatureNormalize normalize = FeatureNormalize::kPerFeature;
};

// Frame-major: data[t * n_mels + m].
struct Features {
  int frames = 0;
  int n_mels = 0;
  std::vector<float> data;
  float at(int t, int m) const { return data[std::size_t(t) * std::size_t(n_mels) + std::size_t(m)]; }
};

// Filterbank weights as librosa.filters.mel(sr, n_fft, n_mels, fmin, fmax, htk=False,
// norm="slaney") builds them: row-major n_mels x (n_fft / 2 + 1).
std::vector<double> slaney_mel_filterbank(int n_mels, int n_fft, int sample_rate, double fmin, double fmax);

// Immutable after construction, so one instance serves every thread.
class NemoFeatureExtractor {
 public:
  static constexpr int kSampleRate = 16000;
  static constexpr int kWindow = 400;  // 25 ms
  static constexpr int kHop = 160;     // 10 ms: one feature frame per 10 ms
  static constexpr int kFft = 512;

  // n_mels must be 1..256.
  static Result<NemoFeatureExtractor> create(const NemoFeatureConfig& config);

  const NemoFeatureConfig& config() const { return config_; }
  // floor(samples / 160) + 1 frames (NeMo's get_seq_len with centring); none for empty input.
  Features compute(std::span<const float> samples) const;

 private:
  explicit NemoFeatureExtractor(const NemoFeatureConfig& config);

  NemoFeatureConfig config_;
  Fft fft_;
  std::vector<double> window_;      // kFft values: the Hann window centred, zeros around it
  std::vector<double> filterbank_;  // n_mels x (kFft / 2 + 1)
};

// The chunks with audio, featurised and padded into one (B, n_mels, T_max) tensor with zeros
// after each chunk's end, as NeMo's batched preprocessor does. index[b] is chunk b's position in
// the input; lengths[b] its frame count.
struct FeatureBatch {
  std::vector<std::size_t> index;
  std::vector<float> packed;
  std::vector<std::int64_t> lengths;
  std::int64_t max_frames = 1;
};
FeatureBatch batch_features(const NemoFeatureExtractor& extractor, const std::vector<std::span<const float>>& chunks);

}  // namespace vox::asr
