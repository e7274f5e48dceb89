#include "vox/asr/fft.h"

#include <cmath>
#include <numbers>
#include <utility>

namespace vox::asr {

bool is_power_of_two(std::size_t n) { return n >= 2 && (n & (n - 1)) == 0; }

Fft::Fft(std::size_t n) : n_(n), bitrev_(n), twiddles_(n / 2) {
  std::size_t bits = 0;
  while ((std::size_t(1) << bits) < n) ++bits;
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t r = 0;
    for (std::size_t b = 0; b < bits; ++b)
      if (i & (std::size_t(1) << b)) r |= std::size_t(1) << (bits - 1 - b);
    bitrev_[i] = r;
  }
  for (std::size_t k = 0; k < n / 2; ++k) {
    const double angle = -2.0 * std::numbers::pi * double(k) / double(n);
    twiddles_[k] = {std::cos(angle), std::sin(angle)};
  }
}

void Fft::forward(std::vector<std::complex<double>>& data) const {
  for (std::size_t i = 0; i < n_; ++i)
    if (i < bitrev_[i]) std::swap(data[i], data[bitrev_[i]]);
  for (std::size_t len = 2; len <= n_; len <<= 1) {
    const std::size_t half = len / 2, step = n_ / len;
    for (std::size_t start = 0; start < n_; start += len) {
      for (std::size_t j = 0; j < half; ++j) {
        const auto t = twiddles_[j * step] * data[start + j + half];
        data[start + j + half] = data[start + j] - t;
        data[start + j] += t;
      }
    }
  }
}

}  // namespace vox::asr
