// Short-time cepstral features for the embedded diarizer: 25 ms Hamming frames every 10 ms,
// mel filterbank, log, DCT. Only the frames a caller asks for are computed, so silence costs
// nothing.
#pragma once

#include <complex>
#include <cstddef>
#include <span>
#include <vector>

namespace vox::diar {

inline constexpr int kSampleRate = 16000;
inline constexpr int kFrameShift = 160;   // 10 ms: the resolution of every diarization decision
inline constexpr int kFrameLength = 400;  // 25 ms
inline constexpr double kFrameSeconds = double(kFrameShift) / kSampleRate;

// In-place iterative radix-2 FFT of a fixed power-of-two size; twiddles precomputed once.
class Fft {
 public:
  explicit Fft(std::size_t size);
  std::size_t size() const { return size_; }
  void forward(std::vector<std::complex<float>>& data) const;

 private:
  std::size_t size_;
  std::vector<std::complex<float>> twiddles_;
  std::vector<std::size_t> bit_reverse_;
};

// Hz <-> mel (HTK formula).
double hz_to_mel(double hz);
double mel_to_hz(double mel);

struct MfccOptions {
  int num_mel_bands = 32;
  int num_ceps = 20;        // c1..c20 (c0, the loudness, is left out: levels differ per sentence)
  double low_hz = 80.0;
  double high_hz = 7600.0;
  float preemphasis = 0.97f;
};

class MfccExtractor {
 public:
  explicit MfccExtractor(const MfccOptions& options = {});
  int dim() const { return options_.num_ceps; }
  // Number of whole frames in a recording of `num_samples` samples (a final partial frame is
  // zero-padded, so every sample belongs to a frame).
  static int frame_count(std::size_t num_samples);
  // Frame `index` of `samples`: cepstra into `ceps` (dim() values), log energy (natural log of
  // the mean power) returned.
  float compute(std::span<const float> samples, int index, float* ceps) const;

 private:
  MfccOptions options_;
  Fft fft_;
  std::vector<float> window_;
  // Triangular mel filters as (first bin, weights) pairs.
  std::vector<int> filter_start_;
  std::vector<std::vector<float>> filter_weights_;
  std::vector<float> dct_;  // num_ceps x num_mel_bands
};

}  // namespace vox::diar
