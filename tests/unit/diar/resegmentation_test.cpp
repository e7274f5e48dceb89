#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "vox/diar/gmm.h"
#include "vox/diar/resegmentation.h"

namespace vox::diar {
namespace {

std::vector<float> scores_from_truth(const std::vector<int>& truth, int k, double flip_every) {
  std::vector<float> s(truth.size() * std::size_t(k), -1.0f);
  for (std::size_t t = 0; t < truth.size(); ++t) {
    int winner = truth[t];
    if (flip_every > 0 && t % std::size_t(flip_every) == 3) winner = (winner + 1) % k;  // isolated errors
    s[t * std::size_t(k) + std::size_t(winner)] = 1.0f;
  }
  return s;
}

TEST(Viterbi, PenaltyRemovesIsolatedFlips) {
  std::vector<int> truth(300);
  for (std::size_t t = 0; t < truth.size(); ++t) truth[t] = t < 100 ? 0 : t < 220 ? 1 : 2;
  const auto scores = scores_from_truth(truth, 3, 17);
  EXPECT_EQ(viterbi_labels(scores, 300, 3, 5.0), truth);
  // Without a penalty every frame follows its own best score, flips included.
  const auto raw = viterbi_labels(scores, 300, 3, 0.0);
  EXPECT_NE(raw, truth);
  EXPECT_EQ(raw[3], 1);
  // A penalty larger than any run's gain keeps one speaker throughout.
  const auto one = viterbi_labels(scores, 300, 3, 1e6);
  EXPECT_TRUE(std::all_of(one.begin(), one.end(), [&](int l) { return l == one[0]; }));
}

TEST(Viterbi, Degenerate) {
  EXPECT_TRUE(viterbi_labels({}, 0, 2, 1.0).empty());
  EXPECT_EQ(viterbi_labels({1.0f, 2.0f}, 2, 1, 1.0), (std::vector<int>{0, 0}));
}

TEST(SmoothScores, MovingAverage) {
  std::vector<float> s = {0, 10, 3, 0, 6, 0};  // 3 frames x 2 speakers
  smooth_scores(s, 3, 2, 1);
  EXPECT_FLOAT_EQ(s[0], 1.5f);   // mean of frames 0,1
  EXPECT_FLOAT_EQ(s[1], 5.0f);
  EXPECT_FLOAT_EQ(s[2], 3.0f);   // mean of frames 0,1,2
  EXPECT_FLOAT_EQ(s[3], 10.0f / 3);
  EXPECT_FLOAT_EQ(s[4], 4.5f);   // mean of frames 1,2
  EXPECT_FLOAT_EQ(s[5], 0.0f);
}

TEST(Gmm, ModelPrefersItsOwnData) {
  std::mt19937 rng(11);
  std::normal_distribution<float> g(0.0f, 1.0f);
  const int dim = 4, n = 2000;
  std::vector<float> a(std::size_t(n) * dim), b(std::size_t(n) * dim);
  for (int i = 0; i < n; ++i)
    for (int d = 0; d < dim; ++d) {
      // A: two modes at +-2 on axis 0; B: one broad mode shifted on axis 1.
      a[std::size_t(i) * dim + d] = g(rng) * 0.5f + (d == 0 ? ((i / 2) % 2 ? 2.0f : -2.0f) : 0.0f);
      b[std::size_t(i) * dim + d] = g(rng) * 1.5f + (d == 1 ? 3.0f : 0.0f);
    }
  std::vector<const float*> pa, pb;
  for (int i = 0; i < n; i += 2) pa.push_back(&a[std::size_t(i) * dim]), pb.push_back(&b[std::size_t(i) * dim]);
  const auto ga = DiagonalGmm::train(pa, dim, 4, 8);
  const auto gb = DiagonalGmm::train(pb, dim, 4, 8);
  EXPECT_EQ(ga.components(), 4);
  int right = 0, total = 0;
  for (int i = 1; i < n; i += 2) {  // held-out frames
    right += ga.log_likelihood(&a[std::size_t(i) * dim]) > gb.log_likelihood(&a[std::size_t(i) * dim]);
    right += gb.log_likelihood(&b[std::size_t(i) * dim]) > ga.log_likelihood(&b[std::size_t(i) * dim]);
    total += 2;
  }
  EXPECT_GT(double(right) / total, 0.95);
}

TEST(Gmm, LikelihoodOfStandardNormal) {
  // One component on lots of N(0,1) data: log p(0) ~ -0.5*dim*log(2 pi).
  std::mt19937 rng(5);
  std::normal_distribution<float> g(0.0f, 1.0f);
  std::vector<float> x(20000 * 2);
  for (auto& v : x) v = g(rng);
  std::vector<const float*> p;
  for (int i = 0; i < 20000; ++i) p.push_back(&x[std::size_t(i) * 2]);
  const auto m = DiagonalGmm::train(p, 2, 1, 3);
  const float zero[2] = {0.0f, 0.0f};
  EXPECT_NEAR(m.log_likelihood(zero), -std::log(2 * M_PI), 0.05);
}

TEST(Gmm, TinyOrEmptyTrainingSet) {
  const float one[3] = {1, 2, 3};
  const auto m = DiagonalGmm::train({one}, 3, 8, 3);
  EXPECT_EQ(m.components(), 1);
  EXPECT_TRUE(std::isfinite(m.log_likelihood(one)));
  const auto empty = DiagonalGmm::train({}, 3, 8, 3);
  EXPECT_TRUE(std::isfinite(empty.log_likelihood(one)));
}

}  // namespace
}  // namespace vox::diar
