#include "vox/diar/pyannote_clustering.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "vox/diar/clustering.h"

namespace vox::diar {

namespace {

std::vector<std::vector<float>> centroids_of(const std::vector<std::vector<float>>& rows, const std::vector<int>& labels,
                                             int k) {
  const std::size_t dim = rows.empty() ? 0 : rows[0].size();
  std::vector<std::vector<float>> c(std::size_t(k), std::vector<float>(dim, 0.f));
  for (std::size_t i = 0; i < rows.size(); ++i)
    for (std::size_t d = 0; d < dim; ++d) c[std::size_t(labels[i])][d] += rows[i][d];
  for (auto& v : c) {
    double n = 0;
    for (float x : v) n += double(x) * x;
    if (n > 0)
      for (float& x : v) x = float(x / std::sqrt(n));
  }
  return c;
}

float dot(const std::vector<float>& a, const std::vector<float>& b) {
  float s = 0;
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) s += a[i] * b[i];
  return s;
}

// Best injective map of a window's locals onto clusters (maximum total similarity). A window has
// at most a handful of locals, so exhaustive search is cheap; locals beyond the cluster count
// stay unassigned (-1), like pyannote's Hungarian assignment.
std::vector<int> best_assignment(const std::vector<std::vector<float>>& sim) {
  const std::size_t n = sim.size();
  const int k = n ? int(sim[0].size()) : 0;
  std::vector<int> best(n, -1), cur(n, -1);
  std::vector<bool> used(std::size_t(k), false);
  double best_score = -1e30;
  const std::size_t must = std::min<std::size_t>(n, std::size_t(k));
  std::function<void(std::size_t, double, std::size_t)> go = [&](std::size_t i, double score, std::size_t assigned) {
    if (i == n) {
      if (assigned == must && score > best_score) {
        best_score = score;
        best = cur;
      }
      return;
    }
    for (int c = 0; c < k; ++c) {
      if (used[std::size_t(c)]) continue;
      used[std::size_t(c)] = true;
      cur[i] = c;
      go(i + 1, score + sim[i][std::size_t(c)], assigned + 1);
      used[std::size_t(c)] = false;
    }
    cur[i] = -1;
    if (n - i - 1 + assigned >= must) go(i + 1, score, assigned);  // leave this one out
  };
  go(0, 0.0, 0);
  return best;
}

}  // namespace

SpeakerAssignment assign_speakers(const std::vector<LocalSpeakerEmbedding>& items, std::size_t num_windows,
                                  int local_speakers, const DiarizeOptions& options, double threshold,
                                  int default_max) {
  SpeakerAssignment out;
  out.speaker.assign(num_windows, std::vector<int>(std::size_t(local_speakers), -1));
  if (items.empty()) return out;

  std::vector<std::vector<float>> rows;
  for (const auto& it : items)
    if (it.clean) rows.push_back(it.embedding);
  if (rows.empty())
    for (const auto& it : items) rows.push_back(it.embedding);
  const int n = int(rows.size());

  std::vector<int> labels(std::size_t(n), 0);
  int k = 1;
  if (n > 1) {
    auto merges = average_linkage(cosine_distances(rows));
    if (options.num_speakers > 0) {
      k = std::min(options.num_speakers, n);
    } else {
      const int max_k = options.max_speakers > 0 ? options.max_speakers : default_max;
      k = cluster_count_at_threshold(merges, n, threshold, options.min_speakers, max_k);
    }
    labels = cut_dendrogram(merges, n, k);
  }
  const auto centroids = centroids_of(rows, labels, k);
  out.num_speakers = k;

  // Group the items by window and assign each window's locals together.
  std::vector<std::vector<const LocalSpeakerEmbedding*>> by_window(num_windows);
  for (const auto& it : items)
    if (it.window < num_windows && it.local >= 0 && it.local < local_speakers) by_window[it.window].push_back(&it);
  for (std::size_t w = 0; w < num_windows; ++w) {
    const auto& locals = by_window[w];
    if (locals.empty()) continue;
    std::vector<std::vector<float>> sim(locals.size(), std::vector<float>(std::size_t(k)));
    for (std::size_t i = 0; i < locals.size(); ++i)
      for (int c = 0; c < k; ++c) sim[i][std::size_t(c)] = dot(locals[i]->embedding, centroids[std::size_t(c)]);
    const auto best = best_assignment(sim);
    for (std::size_t i = 0; i < locals.size(); ++i) out.speaker[w][std::size_t(locals[i]->local)] = best[i];
  }
  return out;
}

}  // namespace vox::diar
