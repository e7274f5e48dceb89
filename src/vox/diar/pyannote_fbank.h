// Log-mel filterbank features for the speaker-embedding models of the pyannote diarizer:
// Kaldi-style fbank (WeSpeaker / 3D-Speaker exports) and a NeMo-style log-mel (TitaNet).
#pragma once

#include <span>
#include <vector>

namespace vox::diar {

struct FbankOptions {
  int sample_rate = 16000;
  int num_bins = 80;
  double frame_length_ms = 25.0;
  double frame_shift_ms = 10.0;
  double low_freq = 20.0;
  double high_freq = 0.0;       // <= 0: Nyquist + high_freq (Kaldi's convention)
  bool kaldi = true;            // Kaldi: DC removal + povey window + log floor FLT_EPSILON;
                                // NeMo: Hann window + log(x + 2^-24)
  float preemphasis = 0.97f;
  float sample_scale = 1.0f;    // 32768 for models trained on int16-range samples
};

// Row-major frames x dim.
struct FeatureMatrix {
  int frames = 0;
  int dim = 0;
  std::vector<float> data;
  float* row(int i) { return data.data() + std::size_t(i) * std::size_t(dim); }
  const float* row(int i) const { return data.data() + std::size_t(i) * std::size_t(dim); }
};

// Frames are taken with Kaldi's snip_edges (only whole frames); fewer samples than one frame
// give zero frames.
FeatureMatrix compute_fbank(std::span<const float> samples, const FbankOptions& options);

// Subtracts each bin's mean over time ("global-mean", 3D-Speaker).
void subtract_feature_mean(FeatureMatrix& features);
// Mean and variance normalisation of each bin over time ("per_feature", NeMo).
void normalize_per_feature(FeatureMatrix& features);

}  // namespace vox::diar
