#include "vox/diar/pyannote_fbank.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <complex>

namespace vox::diar {

namespace {

// In-place iterative radix-2 FFT; n is a power of two.
void fft(std::vector<std::complex<float>>& a) {
  const std::size_t n = a.size();
  for (std::size_t i = 1, j = 0; i < n; ++i) {
    std::size_t bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) std::swap(a[i], a[j]);
  }
  for (std::size_t len = 2; len <= n; len <<= 1) {
    const double ang = -2.0 * M_PI / double(len);
    const std::complex<float> wl(float(std::cos(ang)), float(std::sin(ang)));
    for (std::size_t i = 0; i < n; i += len) {
      std::complex<float> w(1.f, 0.f);
      for (std::size_t k = 0; k < len / 2; ++k) {
        const auto u = a[i + k], v = a[i + k + len / 2] * w;
        a[i + k] = u + v;
        a[i + k + len / 2] = u - v;
        w *= wl;
      }
    }
  }
}

double mel(double hz) { return 1127.0 * std::log(1.0 + hz / 700.0); }

// Triangular filters evenly spaced on the mel scale: weights[bin][fft_bin].
std::vector<std::vector<float>> mel_banks(const FbankOptions& o, int fft_size) {
  const double nyquist = o.sample_rate / 2.0;
  const double high = o.high_freq > 0 ? o.high_freq : nyquist + o.high_freq;
  const double mlow = mel(o.low_freq), mhigh = mel(high);
  const double delta = (mhigh - mlow) / (o.num_bins + 1);
  std::vector<std::vector<float>> banks(std::size_t(o.num_bins), std::vector<float>(std::size_t(fft_size / 2 + 1), 0.f));
  for (int b = 0; b < o.num_bins; ++b) {
    const double left = mlow + b * delta, center = left + delta, right = center + delta;
    for (int k = 0; k <= fft_size / 2; ++k) {
      const double m = mel(double(k) * o.sample_rate / fft_size);
      if (m > left && m < right)
        banks[std::size_t(b)][std::size_t(k)] = float(m <= center ? (m - left) / (center - left) : (right - m) / (right - center));
    }
  }
  return banks;
}

}  // namespace

FeatureMatrix compute_fbank(std::span<const float> samples, const FbankOptions& o) {
  FeatureMatrix out;
  out.dim = o.num_bins;
  const int len = int(std::lround(o.sample_rate * o.frame_length_ms / 1000.0));
  const int shift = int(std::lround(o.sample_rate * o.frame_shift_ms / 1000.0));
  if (len <= 0 || shift <= 0 || samples.size() < std::size_t(len)) return out;
  int fft_size = 1;
  while (fft_size < len) fft_size <<= 1;
  out.frames = 1 + int((samples.size() - std::size_t(len)) / std::size_t(shift));
  out.data.assign(std::size_t(out.frames) * std::size_t(out.dim), 0.f);

  std::vector<float> window(static_cast<std::size_t>(len));
  for (int i = 0; i < len; ++i) {
    const double hann = 0.5 - 0.5 * std::cos(2.0 * M_PI * i / (o.kaldi ? len - 1 : len));
    window[std::size_t(i)] = float(o.kaldi ? std::pow(hann, 0.85) : hann);  // Kaldi's "povey" window
  }
  const auto banks = mel_banks(o, fft_size);
  // Each triangle covers a few FFT bins only: sum over its non-zero range.
  std::vector<std::pair<std::size_t, std::size_t>> ranges;
  for (const auto& w : banks) {
    std::size_t first = 0, last = 0;
    for (std::size_t k = 0; k < w.size(); ++k)
      if (w[k] != 0.f) {
        if (last == 0) first = k;
        last = k + 1;
      }
    ranges.emplace_back(first, last);
  }
  const float log_floor = o.kaldi ? FLT_EPSILON : 0.f;
  const float log_guard = o.kaldi ? 0.f : 5.9604645e-8f;  // 2^-24

  std::vector<float> frame(static_cast<std::size_t>(len));
  std::vector<std::complex<float>> spec(static_cast<std::size_t>(fft_size));
  std::vector<float> power(static_cast<std::size_t>(fft_size / 2 + 1));
  for (int f = 0; f < out.frames; ++f) {
    const float* src = samples.data() + std::size_t(f) * std::size_t(shift);
    for (int i = 0; i < len; ++i) frame[std::size_t(i)] = src[i] * o.sample_scale;
    if (o.kaldi) {
      float mean = 0;
      for (float v : frame) mean += v;
      mean /= float(len);
      for (float& v : frame) v -= mean;
    }
    for (int i = len - 1; i > 0; --i) frame[std::size_t(i)] -= o.preemphasis * frame[std::size_t(i - 1)];
    frame[0] -= o.preemphasis * frame[0];
    std::fill(spec.begin(), spec.end(), std::complex<float>(0.f, 0.f));
    for (int i = 0; i < len; ++i) spec[std::size_t(i)] = frame[std::size_t(i)] * window[std::size_t(i)];
    fft(spec);
    for (std::size_t k = 0; k < power.size(); ++k) power[k] = std::norm(spec[k]);
    float* row = out.row(f);
    for (int b = 0; b < o.num_bins; ++b) {
      const auto& w = banks[std::size_t(b)];
      double e = 0;
      for (std::size_t k = ranges[std::size_t(b)].first; k < ranges[std::size_t(b)].second; ++k) e += double(w[k]) * power[k];
      row[b] = std::log(std::max(float(e), log_floor) + log_guard);
    }
  }
  return out;
}

void subtract_feature_mean(FeatureMatrix& m) {
  if (m.frames == 0) return;
  for (int d = 0; d < m.dim; ++d) {
    double sum = 0;
    for (int f = 0; f < m.frames; ++f) sum += m.row(f)[d];
    const float mean = float(sum / m.frames);
    for (int f = 0; f < m.frames; ++f) m.row(f)[d] -= mean;
  }
}

void normalize_per_feature(FeatureMatrix& m) {
  if (m.frames == 0) return;
  for (int d = 0; d < m.dim; ++d) {
    double sum = 0, sq = 0;
    for (int f = 0; f < m.frames; ++f) {
      sum += m.row(f)[d];
      sq += double(m.row(f)[d]) * m.row(f)[d];
    }
    const double mean = sum / m.frames;
    const double var = m.frames > 1 ? std::max(0.0, (sq - m.frames * mean * mean) / (m.frames - 1)) : 0.0;
    const float inv = float(1.0 / (std::sqrt(var) + 1e-5));
    for (int f = 0; f < m.frames; ++f) m.row(f)[d] = float((m.row(f)[d] - mean) * inv);
  }
}

}  // namespace vox::diar
