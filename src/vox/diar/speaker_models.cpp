#include "vox/diar/speaker_models.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "vox/diar/gmm.h"
#include "vox/diar/resegmentation.h"

namespace vox::diar {

namespace {

constexpr int kHeldOutBlock = 50;  // frames: 0.5 s blocks alternate between training and testing

std::vector<const float*> evenly_subsampled(std::vector<const float*> frames, int max_frames) {
  if (int(frames.size()) <= max_frames) return frames;
  std::vector<const float*> sub;
  sub.reserve(std::size_t(max_frames));
  const double step = double(frames.size()) / max_frames;
  for (int i = 0; i < max_frames; ++i) sub.push_back(frames[std::size_t(i * step)]);
  return sub;
}

}  // namespace

int distinct_labels(const FrameLabels& labels, int k) {
  std::vector<char> seen(static_cast<std::size_t>(std::max(k, 0)), 0);
  for (int l : labels)
    if (l >= 0 && l < k) seen[std::size_t(l)] = 1;
  return int(std::count(seen.begin(), seen.end(), 1));
}

bool prune_small_clusters(FrameLabels& labels, int k, int min_frames, int keep_at_least) {
  std::vector<int> frames(static_cast<std::size_t>(std::max(k, 0)), 0);
  for (int l : labels)
    if (l >= 0 && l < k) ++frames[std::size_t(l)];
  int alive = int(std::count_if(frames.begin(), frames.end(), [](int c) { return c > 0; }));
  bool changed = false;
  while (alive > keep_at_least) {
    int smallest = -1;
    for (int s = 0; s < k; ++s)
      if (frames[std::size_t(s)] > 0 && (smallest < 0 || frames[std::size_t(s)] < frames[std::size_t(smallest)]))
        smallest = s;
    if (smallest < 0 || frames[std::size_t(smallest)] >= min_frames) break;
    for (int& l : labels)
      if (l == smallest) l = -1;
    frames[std::size_t(smallest)] = 0;
    --alive;
    changed = true;
  }
  return changed;
}

FrameLabels resegment(const RecordingFeatures& f, const std::vector<std::uint8_t>& voiced, const FrameLabels& labels,
                      int k, const EmbeddedDiarizerParams& p) {
  std::vector<std::vector<const float*>> train(static_cast<std::size_t>(k));
  for (int t = 0; t < f.num_frames; ++t) {
    const int l = labels[std::size_t(t)];
    if (voiced[std::size_t(t)] && l >= 0 && l < k) train[std::size_t(l)].push_back(f.frame(t));
  }
  std::vector<DiagonalGmm> models;
  for (auto& frames : train)
    models.push_back(DiagonalGmm::train(evenly_subsampled(frames, p.gmm_max_frames), f.dim, p.gmm_components,
                                        p.gmm_iterations));
  std::vector<int> index;  // speech frames in time order
  for (int t = 0; t < f.num_frames; ++t)
    if (f.speech[std::size_t(t)]) index.push_back(t);
  const int T = int(index.size());
  std::vector<float> scores(std::size_t(T) * std::size_t(k), 0.0f);
  for (int i = 0; i < T; ++i) {
    const int t = index[std::size_t(i)];
    float* row = &scores[std::size_t(i) * std::size_t(k)];
    for (int s = 0; s < k; ++s) row[s] = train[std::size_t(s)].empty() ? -1e4f : 0.0f;
    if (!voiced[std::size_t(t)]) continue;  // quiet frames carry no voice: they follow their neighbours
    double mean = 0.0;
    int live = 0;
    for (int s = 0; s < k; ++s) {
      if (train[std::size_t(s)].empty()) continue;
      row[s] = float(models[std::size_t(s)].log_likelihood(f.frame(t)));
      mean += row[s];
      ++live;
    }
    for (int s = 0; s < k; ++s)
      if (!train[std::size_t(s)].empty()) row[s] -= float(mean / live);
  }
  smooth_scores(scores, T, k, p.smooth_half_width);
  const std::vector<int> path = viterbi_labels(scores, T, k, p.switch_penalty);
  FrameLabels out(static_cast<std::size_t>(f.num_frames), -1);
  for (int i = 0; i < T; ++i) out[std::size_t(index[std::size_t(i)])] = path[std::size_t(i)];
  return out;
}

std::vector<double> cluster_distances(const RecordingFeatures& f, const std::vector<std::uint8_t>& voiced,
                                      const FrameLabels& labels, int k, const EmbeddedDiarizerParams& p) {
  const auto K = std::size_t(std::max(k, 0));
  std::vector<std::vector<const float*>> train(K), test(K);
  for (int t = 0; t < f.num_frames; ++t) {
    const int l = labels[std::size_t(t)];
    if (!voiced[std::size_t(t)] || l < 0 || l >= k) continue;
    ((t / kHeldOutBlock) % 2 ? test : train)[std::size_t(l)].push_back(f.frame(t));
  }
  std::vector<DiagonalGmm> models;
  for (std::size_t s = 0; s < K; ++s) {
    test[s] = evenly_subsampled(test[s], p.gmm_max_frames / 2);
    models.push_back(DiagonalGmm::train(evenly_subsampled(train[s], p.gmm_max_frames / 2), f.dim,
                                        p.distance_components, p.gmm_iterations));
  }
  // mean_ll[i][j]: mean log-likelihood of cluster i's held-out frames under model j.
  std::vector<double> mean_ll(K * K, 0.0);
  for (std::size_t i = 0; i < K; ++i) {
    if (test[i].empty() || train[i].empty()) continue;
    for (std::size_t j = 0; j < K; ++j) {
      if (train[j].empty()) continue;
      double sum = 0.0;
      for (const float* x : test[i]) sum += models[j].log_likelihood(x);
      mean_ll[i * K + j] = sum / double(test[i].size());
    }
  }
  std::vector<double> d(K * K, std::numeric_limits<double>::infinity());
  for (std::size_t i = 0; i < K; ++i)
    for (std::size_t j = 0; j < K; ++j) {
      const bool usable = !test[i].empty() && !test[j].empty() && !train[i].empty() && !train[j].empty();
      if (i == j) d[i * K + j] = 0.0;
      else if (usable)
        d[i * K + j] = 0.5 * ((mean_ll[i * K + i] - mean_ll[i * K + j]) + (mean_ll[j * K + j] - mean_ll[j * K + i]));
    }
  return d;
}

}  // namespace vox::diar
