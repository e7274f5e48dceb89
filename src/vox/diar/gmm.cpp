#include "vox/diar/gmm.h"

#include <algorithm>
#include <cmath>

namespace vox::diar {

namespace {
constexpr double kLog2Pi = 1.8378770664093453;
constexpr float kVarianceFloor = 0.01f;  // features are variance-normalised to ~1

double log_sum_exp(const double* v, int n) {
  double m = v[0];
  for (int i = 1; i < n; ++i) m = std::max(m, v[i]);
  double s = 0.0;
  for (int i = 0; i < n; ++i) s += std::exp(v[i] - m);
  return m + std::log(s);
}
}  // namespace

void DiagonalGmm::component_log_densities(const float* x, double* out) const {
  const int k = components();
  for (int c = 0; c < k; ++c) {
    const float* mu = &means_[std::size_t(c) * std::size_t(dim_)];
    const float* iv = &inv_vars_[std::size_t(c) * std::size_t(dim_)];
    float acc = 0.0f;
    for (int d = 0; d < dim_; ++d) {
      const float diff = x[d] - mu[d];
      acc += diff * diff * iv[d];
    }
    out[c] = log_consts_[std::size_t(c)] - 0.5 * acc;
  }
}

double DiagonalGmm::log_likelihood(const float* x) const {
  double buf[64] = {};
  component_log_densities(x, buf);
  return log_sum_exp(buf, components());
}

DiagonalGmm DiagonalGmm::train(const std::vector<const float*>& frames, int dim, int components, int iterations) {
  DiagonalGmm g;
  g.dim_ = dim;
  const int n = int(frames.size());
  const int k = std::clamp(std::min(components, n), 1, 64);
  const auto D = std::size_t(dim);
  // Global mean/variance: the starting variance of every component and the fallback model.
  std::vector<double> mean(D, 0.0), var(D, 0.0);
  for (const float* x : frames)
    for (std::size_t d = 0; d < D; ++d) mean[d] += x[d];
  for (std::size_t d = 0; d < D; ++d) mean[d] /= std::max(n, 1);
  for (const float* x : frames)
    for (std::size_t d = 0; d < D; ++d) var[d] += (x[d] - mean[d]) * (x[d] - mean[d]);
  for (std::size_t d = 0; d < D; ++d) var[d] = std::max(var[d] / std::max(n, 1), double(kVarianceFloor));

  g.weights_.assign(std::size_t(k), 1.0 / k);
  g.means_.resize(std::size_t(k) * D);
  g.inv_vars_.resize(std::size_t(k) * D);
  for (int c = 0; c < k; ++c) {
    const float* seed = n > 0 ? frames[std::size_t((std::size_t(c) * std::size_t(n)) / std::size_t(k) + std::size_t(n) / (2 * std::size_t(k))) % std::size_t(n)] : nullptr;
    for (std::size_t d = 0; d < D; ++d) {
      g.means_[std::size_t(c) * D + d] = seed ? seed[d] : float(mean[d]);
      g.inv_vars_[std::size_t(c) * D + d] = float(1.0 / var[d]);
    }
  }
  auto refresh_consts = [&g, D] {
    g.log_consts_.resize(g.weights_.size());
    for (std::size_t c = 0; c < g.weights_.size(); ++c) {
      double log_det = 0.0;
      for (std::size_t d = 0; d < D; ++d) log_det -= std::log(double(g.inv_vars_[c * D + d]));
      g.log_consts_[c] = std::log(std::max(g.weights_[c], 1e-12)) - 0.5 * (double(D) * kLog2Pi + log_det);
    }
  };
  refresh_consts();
  if (n == 0) return g;

  std::vector<double> acc_w(static_cast<std::size_t>(k)), acc_x(std::size_t(k) * D), acc_xx(std::size_t(k) * D);
  double post[64];
  for (int it = 0; it < iterations; ++it) {
    std::fill(acc_w.begin(), acc_w.end(), 0.0);
    std::fill(acc_x.begin(), acc_x.end(), 0.0);
    std::fill(acc_xx.begin(), acc_xx.end(), 0.0);
    for (const float* x : frames) {
      g.component_log_densities(x, post);
      const double total = log_sum_exp(post, k);
      for (int c = 0; c < k; ++c) {
        const double p = std::exp(post[c] - total);
        if (p < 1e-6) continue;
        acc_w[std::size_t(c)] += p;
        double* ax = &acc_x[std::size_t(c) * D];
        double* axx = &acc_xx[std::size_t(c) * D];
        for (std::size_t d = 0; d < D; ++d) {
          ax[d] += p * x[d];
          axx[d] += p * double(x[d]) * x[d];
        }
      }
    }
    for (int c = 0; c < k; ++c) {
      const double w = acc_w[std::size_t(c)];
      g.weights_[std::size_t(c)] = w / n;
      if (w < 1e-3) continue;  // an empty component keeps its parameters and ~zero weight
      for (std::size_t d = 0; d < D; ++d) {
        const double m = acc_x[std::size_t(c) * D + d] / w;
        const double v = std::max(acc_xx[std::size_t(c) * D + d] / w - m * m, double(kVarianceFloor));
        g.means_[std::size_t(c) * D + d] = float(m);
        g.inv_vars_[std::size_t(c) * D + d] = float(1.0 / v);
      }
    }
    refresh_consts();
  }
  return g;
}

}  // namespace vox::diar
