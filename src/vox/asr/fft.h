// A small in-place radix-2 FFT for the feature extractors. Double precision on purpose: the
// log-mel features must match NeMo's reference to float accuracy, and at 512 points the cost
// (a few microseconds per frame) is nothing next to the acoustic model.
#pragma once

#include <complex>
#include <cstddef>
#include <vector>

namespace vox::asr {

class Fft {
 public:
  // n must be a power of two (>= 2).
  explicit Fft(std::size_t n);

  std::size_t size() const { return n_; }
  // Forward transform, in place: X[k] = sum_n x[n] e^{-2 pi i k n / N}.
  void forward(std::vector<std::complex<double>>& data) const;

 private:
  std::size_t n_;
  std::vector<std::size_t> bitrev_;
  std::vector<std::complex<double>> twiddles_;  // e^{-2 pi i k / N}, k < N/2
};

bool is_power_of_two(std::size_t n);

}  // namespace vox::asr
