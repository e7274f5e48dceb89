#include "vox/diar/segment_embeddings.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace vox::diar {

std::vector<Window> make_windows(const std::vector<std::uint8_t>& speech, int length, int hop, int min_length) {
  std::vector<Window> windows;
  length = std::max(length, 1);
  hop = std::max(hop, 1);
  const int n = int(speech.size());
  int i = 0;
  while (i < n) {
    if (!speech[std::size_t(i)]) {
      ++i;
      continue;
    }
    int j = i;
    while (j < n && speech[std::size_t(j)]) ++j;
    const int run = j - i;
    if (run < length) {
      if (run >= min_length) windows.push_back({i, j});
    } else {
      int start = i;
      for (; start + length <= j; start += hop) windows.push_back({start, start + length});
      if (windows.back().end < j) windows.push_back({j - length, j});
    }
    i = j;
  }
  return windows;
}

std::vector<std::uint8_t> voiced_frames(const RecordingFeatures& f, double quantile) {
  std::vector<float> levels;
  for (int i = 0; i < f.num_frames; ++i)
    if (f.speech[std::size_t(i)]) levels.push_back(f.log_energy[std::size_t(i)]);
  std::vector<std::uint8_t> voiced(std::size_t(f.num_frames), 0);
  if (levels.empty()) return voiced;
  const auto q = std::size_t(std::clamp(quantile, 0.0, 1.0) * double(levels.size() - 1));
  std::nth_element(levels.begin(), levels.begin() + std::ptrdiff_t(q), levels.end());
  const float threshold = levels[q];
  for (int i = 0; i < f.num_frames; ++i)
    voiced[std::size_t(i)] = f.speech[std::size_t(i)] && f.log_energy[std::size_t(i)] >= threshold;
  return voiced;
}

std::vector<std::vector<float>> window_embeddings(const RecordingFeatures& f, const std::vector<std::uint8_t>& voiced,
                                                  const std::vector<Window>& windows, bool with_spread) {
  const auto D = std::size_t(f.dim);
  const std::size_t out_dim = with_spread ? 2 * D : D;
  std::vector<std::vector<float>> out;
  out.reserve(windows.size());
  std::vector<double> sum(D), sq(D);
  for (const auto& w : windows) {
    int count = 0;
    for (int pass = 0; pass < 2 && count == 0; ++pass) {
      std::fill(sum.begin(), sum.end(), 0.0);
      std::fill(sq.begin(), sq.end(), 0.0);
      for (int t = w.begin; t < w.end; ++t) {
        if (!f.speech[std::size_t(t)] || (pass == 0 && !voiced[std::size_t(t)])) continue;
        const float* x = f.frame(t);
        for (std::size_t d = 0; d < D; ++d) {
          sum[d] += x[d];
          sq[d] += double(x[d]) * x[d];
        }
        ++count;
      }
    }
    std::vector<float> e(out_dim, 0.0f);
    if (count > 0) {
      for (std::size_t d = 0; d < D; ++d) {
        const double m = sum[d] / count;
        e[d] = float(m);
        if (with_spread) e[D + d] = float(std::sqrt(std::max(sq[d] / count - m * m, 0.0)));
      }
    }
    out.push_back(std::move(e));
  }
  if (out.size() > 1) {
    std::vector<double> centre(out_dim, 0.0);
    for (const auto& e : out)
      for (std::size_t d = 0; d < out_dim; ++d) centre[d] += e[d];
    for (auto& c : centre) c /= double(out.size());
    for (auto& e : out)
      for (std::size_t d = 0; d < out_dim; ++d) e[d] -= float(centre[d]);
  }
  return out;
}

std::vector<int> nearest_window(const std::vector<Window>& windows, int num_frames) {
  std::vector<int> owner(std::size_t(std::max(num_frames, 0)), -1);
  std::vector<int> best_distance(owner.size(), 1 << 30);
  for (std::size_t w = 0; w < windows.size(); ++w) {
    const Window& win = windows[w];
    for (int t = std::max(win.begin, 0); t < std::min(win.end, num_frames); ++t) {
      const int dist = std::abs(t - win.centre());
      if (dist < best_distance[std::size_t(t)]) {
        best_distance[std::size_t(t)] = dist;
        owner[std::size_t(t)] = int(w);
      }
    }
  }
  return owner;
}

}  // namespace vox::diar
