// Small diagonal-covariance Gaussian mixture, trained per speaker on this recording's frames;
// used to re-assign every 10 ms frame to the speaker that explains it best.
#pragma once

#include <vector>

namespace vox::diar {

class DiagonalGmm {
 public:
  // Trains on `frames` (each a pointer to `dim` floats) with EM, initialised from evenly spaced
  // frames (deterministic). Fewer frames than components → fewer components.
  static DiagonalGmm train(const std::vector<const float*>& frames, int dim, int components, int iterations);

  int components() const { return int(weights_.size()); }
  int dim() const { return dim_; }
  // log p(x) under the mixture.
  double log_likelihood(const float* x) const;

 private:
  // Per component log weight + log normaliser, and log density of every component into `out`.
  void component_log_densities(const float* x, double* out) const;

  int dim_ = 0;
  std::vector<double> weights_;
  std::vector<float> means_;     // components x dim
  std::vector<float> inv_vars_;  // components x dim
  std::vector<double> log_consts_;
};

}  // namespace vox::diar
