// Agglomerative clustering of speaker embeddings: pure functions, no audio knowledge.
#pragma once

#include <vector>

namespace vox::diar {

// Row-major n x n symmetric matrix.
struct DistanceMatrix {
  int n = 0;
  std::vector<float> values;
  float at(int i, int j) const { return values[std::size_t(i) * std::size_t(n) + std::size_t(j)]; }
  float& at(int i, int j) { return values[std::size_t(i) * std::size_t(n) + std::size_t(j)]; }
};

// 1 - cosine similarity between every pair of rows (rows need not be normalised; a zero row is
// at distance 1 from everything).
DistanceMatrix cosine_distances(const std::vector<std::vector<float>>& rows);

struct Merge {
  int a = 0, b = 0;       // cluster ids: 0..n-1 are the items, n+k is the k-th merge's cluster
  double distance = 0.0;  // average-linkage distance at which they merged
};

// Average-linkage (UPGMA) dendrogram by the nearest-neighbour-chain algorithm: O(n^2) time and
// the matrix's memory. Merges are returned in non-decreasing distance order.
std::vector<Merge> average_linkage(DistanceMatrix distances);

// Applies the first n - k merges: labels 0..k-1 for the n items, numbered by first item.
std::vector<int> cut_dendrogram(const std::vector<Merge>& merges, int n, int k);

// The number of clusters when merging stops at `threshold` (merges at larger distances are not
// made), clamped to [min_k, max_k] (each bound ignored when <= 0) and to [1, n].
int cluster_count_at_threshold(const std::vector<Merge>& merges, int n, double threshold, int min_k, int max_k);

}  // namespace vox::diar
