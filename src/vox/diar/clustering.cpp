#include "vox/diar/clustering.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace vox::diar {

DistanceMatrix cosine_distances(const std::vector<std::vector<float>>& rows) {
  DistanceMatrix m;
  m.n = int(rows.size());
  m.values.assign(std::size_t(m.n) * std::size_t(m.n), 0.0f);
  std::vector<double> norms(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    double s = 0.0;
    for (float v : rows[i]) s += double(v) * v;
    norms[i] = std::sqrt(s);
  }
  for (int i = 0; i < m.n; ++i) {
    for (int j = i + 1; j < m.n; ++j) {
      const auto& a = rows[std::size_t(i)];
      const auto& b = rows[std::size_t(j)];
      double dot = 0.0;
      const std::size_t d = std::min(a.size(), b.size());
      for (std::size_t k = 0; k < d; ++k) dot += double(a[k]) * b[k];
      const double denom = norms[std::size_t(i)] * norms[std::size_t(j)];
      const float dist = denom > 0.0 ? float(1.0 - dot / denom) : 1.0f;
      m.at(i, j) = dist;
      m.at(j, i) = dist;
    }
  }
  return m;
}

std::vector<Merge> average_linkage(DistanceMatrix d) {
  const int n = d.n;
  std::vector<Merge> merges;
  if (n < 2) return merges;
  merges.reserve(std::size_t(n - 1));
  // Slot i holds the live cluster that item i started; id[] maps it to the dendrogram id.
  std::vector<int> size(static_cast<std::size_t>(n), 1), id(static_cast<std::size_t>(n));
  std::vector<char> alive(std::size_t(n), 1);
  std::iota(id.begin(), id.end(), 0);
  std::vector<int> chain;
  int next_id = n;
  int remaining = n;
  while (remaining > 1) {
    if (chain.empty())
      for (int i = 0; i < n; ++i)
        if (alive[std::size_t(i)]) {
          chain.push_back(i);
          break;
        }
    // Grow the chain until two clusters are each other's nearest neighbours.
    while (true) {
      const int top = chain.back();
      const int prev = chain.size() > 1 ? chain[chain.size() - 2] : -1;
      int best = -1;
      float best_d = std::numeric_limits<float>::infinity();
      if (prev >= 0) {  // ties go to the previous element so the chain terminates
        best = prev;
        best_d = d.at(top, prev);
      }
      for (int j = 0; j < n; ++j) {
        if (j == top || !alive[std::size_t(j)]) continue;
        const float dj = d.at(top, j);
        if (dj < best_d) {
          best_d = dj;
          best = j;
        }
      }
      if (best == prev) break;
      chain.push_back(best);
    }
    const int b = chain.back();
    chain.pop_back();
    const int a = chain.back();
    chain.pop_back();
    merges.push_back({id[std::size_t(a)], id[std::size_t(b)], double(d.at(a, b))});
    // Lance-Williams update for average linkage; the merged cluster lives in slot a.
    const double sa = size[std::size_t(a)], sb = size[std::size_t(b)];
    for (int j = 0; j < n; ++j) {
      if (!alive[std::size_t(j)] || j == a || j == b) continue;
      const float v = float((sa * d.at(a, j) + sb * d.at(b, j)) / (sa + sb));
      d.at(a, j) = v;
      d.at(j, a) = v;
    }
    alive[std::size_t(b)] = 0;
    size[std::size_t(a)] += size[std::size_t(b)];
    id[std::size_t(a)] = next_id++;
    --remaining;
  }
  // The chain finds merges out of order; for a reducible linkage sorting them by distance (and
  // renumbering the clusters they create) yields the same dendrogram.
  std::vector<int> order(merges.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int x, int y) { return merges[std::size_t(x)].distance < merges[std::size_t(y)].distance; });
  std::vector<int> renumber(merges.size());
  for (std::size_t k = 0; k < order.size(); ++k) renumber[std::size_t(order[k])] = n + int(k);
  std::vector<Merge> sorted;
  sorted.reserve(merges.size());
  for (int k : order) {
    Merge m = merges[std::size_t(k)];
    if (m.a >= n) m.a = renumber[std::size_t(m.a - n)];
    if (m.b >= n) m.b = renumber[std::size_t(m.b - n)];
    sorted.push_back(m);
  }
  return sorted;
}

std::vector<int> cut_dendrogram(const std::vector<Merge>& merges, int n, int k) {
  k = std::clamp(k, std::min(n, 1), n);
  // Union-find over items; cluster ids >= n point at their merge's representative item.
  std::vector<int> parent(static_cast<std::size_t>(n));
  std::iota(parent.begin(), parent.end(), 0);
  auto find = [&](int x) {
    while (parent[std::size_t(x)] != x) x = parent[std::size_t(x)] = parent[std::size_t(parent[std::size_t(x)])];
    return x;
  };
  std::vector<int> representative(merges.size());
  const int apply = std::min(int(merges.size()), n - k);
  for (int m = 0; m < int(merges.size()); ++m) {
    auto item = [&](int cid) { return cid < n ? cid : representative[std::size_t(cid - n)]; };
    const int ra = find(item(merges[std::size_t(m)].a));
    const int rb = find(item(merges[std::size_t(m)].b));
    representative[std::size_t(m)] = ra;
    if (m < apply) parent[std::size_t(rb)] = ra;
  }
  std::vector<int> labels(std::size_t(n), -1), label_of_root(std::size_t(n), -1);
  int next = 0;
  for (int i = 0; i < n; ++i) {
    const int r = find(i);
    if (label_of_root[std::size_t(r)] < 0) label_of_root[std::size_t(r)] = next++;
    labels[std::size_t(i)] = label_of_root[std::size_t(r)];
  }
  return labels;
}

int cluster_count_at_threshold(const std::vector<Merge>& merges, int n, double threshold, int min_k, int max_k) {
  if (n <= 0) return 0;
  int made = 0;
  for (const auto& m : merges)
    if (m.distance <= threshold) ++made;
  int k = n - made;
  if (max_k > 0) k = std::min(k, max_k);
  if (min_k > 0) k = std::max(k, min_k);
  return std::clamp(k, 1, n);
}

}  // namespace vox::diar
