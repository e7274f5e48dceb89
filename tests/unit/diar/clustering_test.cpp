#include <gtest/gtest.h>

#include <random>

#include "vox/diar/clustering.h"

namespace vox::diar {
namespace {

DistanceMatrix from_points(const std::vector<double>& xs) {
  DistanceMatrix d;
  d.n = int(xs.size());
  d.values.resize(xs.size() * xs.size());
  for (int i = 0; i < d.n; ++i)
    for (int j = 0; j < d.n; ++j) d.at(i, j) = float(std::abs(xs[std::size_t(i)] - xs[std::size_t(j)]));
  return d;
}

// Textbook O(n^3) UPGMA: the reference the nearest-neighbour chain must agree with.
std::vector<double> naive_upgma_heights(DistanceMatrix d) {
  const int n = d.n;
  std::vector<int> size(static_cast<std::size_t>(n), 1);
  std::vector<char> alive(static_cast<std::size_t>(n), 1);
  std::vector<double> heights;
  for (int step = 0; step + 1 < n; ++step) {
    int a = -1, b = -1;
    for (int i = 0; i < n; ++i)
      for (int j = i + 1; j < n; ++j)
        if (alive[std::size_t(i)] && alive[std::size_t(j)] && (a < 0 || d.at(i, j) < d.at(a, b))) a = i, b = j;
    heights.push_back(d.at(a, b));
    for (int j = 0; j < n; ++j) {
      if (!alive[std::size_t(j)] || j == a || j == b) continue;
      const float v = float((size[std::size_t(a)] * d.at(a, j) + size[std::size_t(b)] * d.at(b, j)) /
                            (size[std::size_t(a)] + size[std::size_t(b)]));
      d.at(a, j) = d.at(j, a) = v;
    }
    alive[std::size_t(b)] = 0;
    size[std::size_t(a)] += size[std::size_t(b)];
  }
  return heights;
}

TEST(Clustering, CosineDistances) {
  const auto d = cosine_distances({{1, 0}, {0, 2}, {-3, 0}, {0, 0}});
  EXPECT_NEAR(d.at(0, 1), 1.0, 1e-6);
  EXPECT_NEAR(d.at(0, 2), 2.0, 1e-6);
  EXPECT_NEAR(d.at(1, 0), 1.0, 1e-6);
  EXPECT_NEAR(d.at(0, 3), 1.0, 1e-6);  // a zero vector is unrelated to everything
  EXPECT_EQ(d.at(2, 2), 0.0f);
}

TEST(Clustering, TwoObviousGroups) {
  const auto merges = average_linkage(from_points({0.0, 10.0, 0.1, 10.2, 0.3}));
  ASSERT_EQ(merges.size(), 4u);
  for (std::size_t i = 1; i < merges.size(); ++i) EXPECT_LE(merges[i - 1].distance, merges[i].distance);
  const auto labels = cut_dendrogram(merges, 5, 2);
  EXPECT_EQ(labels, (std::vector<int>{0, 1, 0, 1, 0}));
  EXPECT_EQ(cut_dendrogram(merges, 5, 1), (std::vector<int>{0, 0, 0, 0, 0}));
  EXPECT_EQ(cut_dendrogram(merges, 5, 5), (std::vector<int>{0, 1, 2, 3, 4}));
  // Last merge joins the groups at their mean distance: (10+9.9+10.1+10.2+...)/6 ~ 10.
  EXPECT_NEAR(merges.back().distance, (10.0 + 10.2 + 9.9 + 10.1 + 9.7 + 9.9) / 6, 1e-4);
}

TEST(Clustering, MatchesNaiveUpgmaOnRandomData) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<std::vector<float>> rows(30, std::vector<float>(5));
    for (auto& r : rows)
      for (auto& v : r) v = float(u(rng) - 0.5);
    const auto d = cosine_distances(rows);
    const auto merges = average_linkage(d);
    const auto expected = naive_upgma_heights(d);
    ASSERT_EQ(merges.size(), expected.size());
    for (std::size_t i = 0; i < merges.size(); ++i) EXPECT_NEAR(merges[i].distance, expected[i], 1e-4) << i;
  }
}

TEST(Clustering, CutGivesExactlyKClusters) {
  std::mt19937 rng(3);
  std::normal_distribution<double> g(0.0, 1.0);
  std::vector<double> xs(40);
  for (auto& x : xs) x = g(rng);
  const auto merges = average_linkage(from_points(xs));
  for (int k = 1; k <= 40; ++k) {
    const auto labels = cut_dendrogram(merges, 40, k);
    EXPECT_EQ(*std::max_element(labels.begin(), labels.end()) + 1, k);
    EXPECT_EQ(labels[0], 0);  // numbered by first item
  }
}

TEST(Clustering, CountAtThresholdHonoursBounds) {
  const auto merges = average_linkage(from_points({0.0, 0.1, 5.0, 5.1, 20.0, 20.1}));
  EXPECT_EQ(cluster_count_at_threshold(merges, 6, 1.0, 0, 0), 3);
  EXPECT_EQ(cluster_count_at_threshold(merges, 6, 1.0, 0, 2), 2);
  EXPECT_EQ(cluster_count_at_threshold(merges, 6, 1.0, 4, 0), 4);
  EXPECT_EQ(cluster_count_at_threshold(merges, 6, 100.0, 0, 0), 1);
  EXPECT_EQ(cluster_count_at_threshold(merges, 6, 0.01, 0, 0), 6);
  EXPECT_EQ(cluster_count_at_threshold(merges, 6, 0.01, 0, 10), 6);
  EXPECT_EQ(cluster_count_at_threshold(merges, 6, 1.0, 9, 0), 6);  // never more than items
  EXPECT_EQ(cluster_count_at_threshold({}, 0, 1.0, 2, 0), 0);
}

TEST(Clustering, DegenerateInputs) {
  EXPECT_TRUE(average_linkage(DistanceMatrix{}).empty());
  EXPECT_TRUE(average_linkage(from_points({1.0})).empty());
  EXPECT_EQ(cut_dendrogram({}, 1, 1), (std::vector<int>{0}));
  EXPECT_TRUE(cut_dendrogram({}, 0, 3).empty());
}

}  // namespace
}  // namespace vox::diar
