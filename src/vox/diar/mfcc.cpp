#include "vox/diar/mfcc.h"

#include <algorithm>
#include <cmath>

namespace vox::diar {

namespace {
constexpr std::size_t kFftSize = 512;
constexpr int kMaxMelBands = 64;
constexpr double kPi = 3.14159265358979323846;
}  // namespace

Fft::Fft(std::size_t size) : size_(size), twiddles_(size / 2), bit_reverse_(size) {
  int bits = 0;
  while ((std::size_t{1} << bits) < size) ++bits;
  for (std::size_t i = 0; i < size; ++i) {
    std::size_t r = 0;
    for (int b = 0; b < bits; ++b)
      if (i & (std::size_t{1} << b)) r |= std::size_t{1} << (bits - 1 - b);
    bit_reverse_[i] = r;
  }
  for (std::size_t k = 0; k < size / 2; ++k)
    twiddles_[k] = std::polar(1.0f, float(-2.0 * kPi * double(k) / double(size)));
}

void Fft::forward(std::vector<std::complex<float>>& data) const {
  for (std::size_t i = 0; i < size_; ++i)
    if (i < bit_reverse_[i]) std::swap(data[i], data[bit_reverse_[i]]);
  for (std::size_t len = 2; len <= size_; len <<= 1) {
    const std::size_t half = len / 2, step = size_ / len;
    for (std::size_t start = 0; start < size_; start += len) {
      for (std::size_t k = 0; k < half; ++k) {
        const std::complex<float> t = twiddles_[k * step] * data[start + k + half];
        data[start + k + half] = data[start + k] - t;
        data[start + k] += t;
      }
    }
  }
}

double hz_to_mel(double hz) { return 1127.0 * std::log(1.0 + hz / 700.0); }
double mel_to_hz(double mel) { return 700.0 * (std::exp(mel / 1127.0) - 1.0); }

MfccExtractor::MfccExtractor(const MfccOptions& options) : options_(options), fft_(kFftSize) {
  // compute() keeps the band energies on the stack.
  options_.num_mel_bands = std::clamp(options_.num_mel_bands, 4, kMaxMelBands);
  options_.num_ceps = std::clamp(options_.num_ceps, 1, options_.num_mel_bands - 1);
  window_.resize(kFrameLength);
  for (int i = 0; i < kFrameLength; ++i)
    window_[i] = float(0.54 - 0.46 * std::cos(2.0 * kPi * i / (kFrameLength - 1)));

  const int bands = options_.num_mel_bands;
  const double lo = hz_to_mel(options_.low_hz), hi = hz_to_mel(options_.high_hz);
  const double bin_hz = double(kSampleRate) / kFftSize;
  filter_start_.resize(bands);
  filter_weights_.resize(bands);
  for (int m = 0; m < bands; ++m) {
    const double left = mel_to_hz(lo + (hi - lo) * m / (bands + 1));
    const double centre = mel_to_hz(lo + (hi - lo) * (m + 1) / (bands + 1));
    const double right = mel_to_hz(lo + (hi - lo) * (m + 2) / (bands + 1));
    const int first = int(std::ceil(left / bin_hz)), last = int(std::floor(right / bin_hz));
    filter_start_[m] = first;
    for (int b = first; b <= last; ++b) {
      const double f = b * bin_hz;
      const double w = f <= centre ? (f - left) / (centre - left) : (right - f) / (right - centre);
      filter_weights_[m].push_back(float(std::max(0.0, w)));
    }
  }
  dct_.resize(std::size_t(options_.num_ceps) * bands);
  for (int c = 0; c < options_.num_ceps; ++c)
    for (int m = 0; m < bands; ++m)
      dct_[std::size_t(c) * bands + m] =
          float(std::sqrt(2.0 / bands) * std::cos(kPi * (c + 1) * (m + 0.5) / bands));
}

int MfccExtractor::frame_count(std::size_t num_samples) {
  return int((num_samples + kFrameShift - 1) / kFrameShift);
}

float MfccExtractor::compute(std::span<const float> samples, int index, float* ceps) const {
  // Frames are centred on index*10ms + 5ms so that frame i describes [i*10ms, (i+1)*10ms).
  const long centre = long(index) * kFrameShift + kFrameShift / 2;
  const long begin = centre - kFrameLength / 2;
  std::vector<std::complex<float>> buf(kFftSize);
  float prev = 0.0f;
  double energy = 0.0;
  for (int i = 0; i < kFrameLength; ++i) {
    const long s = begin + i;
    const float x = (s >= 0 && std::size_t(s) < samples.size()) ? samples[std::size_t(s)] : 0.0f;
    energy += double(x) * x;
    buf[i] = {(x - options_.preemphasis * prev) * window_[i], 0.0f};
    prev = x;
  }
  fft_.forward(buf);
  const int bands = options_.num_mel_bands;
  float mel[kMaxMelBands];
  for (int m = 0; m < bands; ++m) {
    double acc = 0.0;
    const auto& w = filter_weights_[m];
    for (std::size_t j = 0; j < w.size(); ++j) acc += w[j] * std::norm(buf[std::size_t(filter_start_[m]) + j]);
    mel[m] = float(std::log(acc + 1e-10));
  }
  for (int c = 0; c < options_.num_ceps; ++c) {
    const float* row = &dct_[std::size_t(c) * bands];
    float acc = 0.0f;
    for (int m = 0; m < bands; ++m) acc += row[m] * mel[m];
    ceps[c] = acc;
  }
  return float(std::log(energy / kFrameLength + 1e-12));
}

}  // namespace vox::diar
