#include "gates/quantile_sketch.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "gates/drift.h"

namespace modelgate::gates {
namespace {

// A deterministic, skewed stream with many ties: enough structure to stress compaction.
std::vector<double> Stream(std::size_t n, std::uint64_t seed) {
  std::vector<double> out;
  out.reserve(n);
  std::uint64_t x = seed;
  for (std::size_t i = 0; i < n; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    const double u = static_cast<double>(x >> 11) / 9007199254740992.0;
    out.push_back(std::round(-std::log1p(-u) * 1000) / 10);  // exponential, one decimal
  }
  return out;
}

// The largest |estimated CDF - true CDF| over a grid of probe values.
double MaxRankError(const EmpiricalDistribution& sketch, const std::vector<double>& data) {
  auto exact = EmpiricalDistribution::FromValues(data);
  double worst = 0;
  for (int i = 0; i <= 200; ++i) {
    const double probe = exact.Quantile(i / 200.0);
    worst = std::max(worst, std::abs(sketch.CdfAtOrBelow(probe) - exact.CdfAtOrBelow(probe)));
  }
  return worst;
}

TEST(QuantileSketchTest, RankErrorStaysWithinDocumentedBound) {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    std::vector<double> data = Stream(300000, seed);
    QuantileSketch sketch(512, seed);
    for (double v : data) sketch.Add(v);
    EXPECT_EQ(sketch.count(), data.size());
    EXPECT_LT(MaxRankError(sketch.ToDistribution(), data), QuantileSketch::RankErrorBound(512))
        << "seed " << seed;
  }
}

TEST(QuantileSketchTest, RetainsFarFewerValuesThanAdded) {
  QuantileSketch sketch(512);
  for (double v : Stream(1000000, 9)) sketch.Add(v);
  EXPECT_LT(sketch.retained(), 5000u);
}

TEST(QuantileSketchTest, KeepsSmallStreamsExactly) {
  QuantileSketch sketch(512);
  for (double v : {3.0, 1.0, 2.0}) sketch.Add(v);
  EmpiricalDistribution d = sketch.ToDistribution();
  EXPECT_EQ(d.values(), (std::vector<double>{1, 2, 3}));
  EXPECT_EQ(d.total(), 3);
}

TEST(QuantileSketchTest, MergedSketchesMatchOneSketchOfAllData) {
  std::vector<double> a = Stream(150000, 21);
  std::vector<double> b = Stream(100000, 22);
  QuantileSketch left(512, 1), right(512, 2);
  for (double v : a) left.Add(v);
  for (double v : b) right.Add(v);
  left.Merge(right);
  std::vector<double> all = a;
  all.insert(all.end(), b.begin(), b.end());
  EXPECT_EQ(left.count(), all.size());
  EXPECT_EQ(left.ToDistribution().total(), static_cast<double>(all.size()));
  EXPECT_LT(MaxRankError(left.ToDistribution(), all), QuantileSketch::RankErrorBound(512));
}

TEST(QuantileSketchTest, KsStatisticFromSketchesIsWithinSumOfBounds) {
  std::vector<double> a = Stream(200000, 31);
  std::vector<double> b = Stream(200000, 32);
  for (double& v : b) v *= 1.05;
  QuantileSketch sa(512, 1), sb(512, 2);
  for (double v : a) sa.Add(v);
  for (double v : b) sb.Add(v);
  const double exact =
      KsStatistic(EmpiricalDistribution::FromValues(a), EmpiricalDistribution::FromValues(b));
  const double sketched = KsStatistic(sa.ToDistribution(), sb.ToDistribution());
  EXPECT_LT(std::abs(exact - sketched), 2 * QuantileSketch::RankErrorBound(512));
}

}  // namespace
}  // namespace modelgate::gates
