#include "vox/diar/resegmentation.h"

#include <algorithm>

namespace vox::diar {

std::vector<int> viterbi_labels(const std::vector<float>& scores, int num_frames, int num_speakers,
                                double switch_penalty) {
  std::vector<int> labels(std::size_t(std::max(num_frames, 0)), 0);
  if (num_frames <= 0 || num_speakers <= 1) return labels;
  const auto K = std::size_t(num_speakers);
  std::vector<double> cost(K), next(K);
  std::vector<int> back(std::size_t(num_frames) * K);  // predecessor of (t, k)
  for (std::size_t k = 0; k < K; ++k) cost[k] = scores[k];
  for (int t = 1; t < num_frames; ++t) {
    // Best previous state overall: staying costs nothing, switching from it costs the penalty.
    std::size_t best = 0;
    for (std::size_t k = 1; k < K; ++k)
      if (cost[k] > cost[best]) best = k;
    const float* row = &scores[std::size_t(t) * K];
    for (std::size_t k = 0; k < K; ++k) {
      const double stay = cost[k], jump = cost[best] - switch_penalty;
      const bool from_self = stay >= jump;
      next[k] = (from_self ? stay : jump) + row[k];
      back[std::size_t(t) * K + k] = int(from_self ? k : best);
    }
    std::swap(cost, next);
  }
  std::size_t state = 0;
  for (std::size_t k = 1; k < K; ++k)
    if (cost[k] > cost[state]) state = k;
  for (int t = num_frames - 1; t >= 0; --t) {
    labels[std::size_t(t)] = int(state);
    if (t > 0) state = std::size_t(back[std::size_t(t) * K + state]);
  }
  return labels;
}

void smooth_scores(std::vector<float>& scores, int num_frames, int num_speakers, int half_width) {
  if (num_frames <= 0 || half_width <= 0) return;
  const auto K = std::size_t(num_speakers);
  std::vector<double> prefix((std::size_t(num_frames) + 1) * K, 0.0);
  for (int t = 0; t < num_frames; ++t)
    for (std::size_t k = 0; k < K; ++k)
      prefix[(std::size_t(t) + 1) * K + k] = prefix[std::size_t(t) * K + k] + scores[std::size_t(t) * K + k];
  for (int t = 0; t < num_frames; ++t) {
    const int lo = std::max(0, t - half_width), hi = std::min(num_frames, t + half_width + 1);
    for (std::size_t k = 0; k < K; ++k)
      scores[std::size_t(t) * K + k] =
          float((prefix[std::size_t(hi) * K + k] - prefix[std::size_t(lo) * K + k]) / (hi - lo));
  }
}

}  // namespace vox::diar
