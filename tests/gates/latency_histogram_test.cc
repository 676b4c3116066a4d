#include "gates/latency_histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace modelgate::gates {
namespace {

// The exact percentile by HdrHistogram's rank rule: the value at rank round(p/100 * n).
std::int64_t ExactPercentile(std::vector<std::int64_t> values, double percentile) {
  std::sort(values.begin(), values.end());
  auto rank = static_cast<std::size_t>(percentile / 100.0 * values.size() + 0.5);
  rank = std::max<std::size_t>(rank, 1);
  return values[rank - 1];
}

std::vector<std::int64_t> LogNormalLatencies(std::size_t count, unsigned seed) {
  std::mt19937_64 random(seed);
  std::lognormal_distribution<double> distribution(std::log(2e6), 0.8);  // around 2 ms
  std::vector<std::int64_t> values(count);
  for (auto& value : values) value = static_cast<std::int64_t>(distribution(random)) + 1;
  return values;
}

TEST(LatencyHistogramTest, PercentilesKeepThreeSignificantDigits) {
  auto values = LogNormalLatencies(200000, 7);
  LatencyHistogram histogram;
  for (auto value : values) histogram.RecordValue(value);
  for (double percentile : {50.0, 90.0, 95.0, 99.0, 99.9}) {
    const double exact = static_cast<double>(ExactPercentile(values, percentile));
    const double measured = static_cast<double>(histogram.ValueAtPercentile(percentile));
    EXPECT_GE(measured, exact) << "p" << percentile;
    EXPECT_LE((measured - exact) / exact, 0.001) << "p" << percentile;
  }
}

TEST(LatencyHistogramTest, SmallValuesAreExact) {
  LatencyHistogram histogram;
  for (std::int64_t value = 1; value <= 1000; ++value) histogram.RecordValue(value);
  EXPECT_EQ(histogram.ValueAtPercentile(50), 500);
  EXPECT_EQ(histogram.ValueAtPercentile(99.9), 999);
  EXPECT_EQ(histogram.ValueAtPercentile(100), 1000);
  EXPECT_EQ(histogram.min(), 1);
}

TEST(LatencyHistogramTest, MaxIsExactAndCapsPercentiles) {
  LatencyHistogram histogram;
  histogram.RecordValue(123'456'789);
  EXPECT_EQ(histogram.max(), 123'456'789);
  EXPECT_EQ(histogram.ValueAtPercentile(100), 123'456'789);
  EXPECT_EQ(histogram.ValueAtPercentile(50), 123'456'789);
}

TEST(LatencyHistogramTest, MergedHistogramsEqualOneHistogramOfAllValues) {
  auto first = LogNormalLatencies(50000, 1);
  auto second = LogNormalLatencies(50000, 2);
  LatencyHistogram a, b, all;
  for (auto value : first) {
    a.RecordValue(value);
    all.RecordValue(value);
  }
  for (auto value : second) {
    b.RecordValue(value);
    all.RecordValue(value);
  }
  ASSERT_TRUE(a.Merge(b).ok());
  EXPECT_EQ(a.count(), all.count());
  for (double percentile : {0.0, 50.0, 99.0, 99.9, 100.0}) {
    EXPECT_EQ(a.ValueAtPercentile(percentile), all.ValueAtPercentile(percentile));
  }
  EXPECT_EQ(a.max(), all.max());
}

TEST(LatencyHistogramTest, RefusesToMergeDifferentRanges) {
  LatencyHistogram hour;
  LatencyHistogram second(1'000'000'000);
  EXPECT_FALSE(hour.Merge(second).ok());
}

TEST(LatencyHistogramTest, ClampsValuesAboveTheRange) {
  LatencyHistogram histogram(1'000'000);
  histogram.RecordValue(5'000'000);
  EXPECT_EQ(histogram.clamped(), 1);
  EXPECT_EQ(histogram.max(), 1'000'000);
}

TEST(LatencyHistogramTest, EmptyHistogramReportsZeros) {
  LatencyHistogram histogram;
  LatencySummary summary = histogram.Summarize();
  EXPECT_EQ(summary.count, 0);
  EXPECT_EQ(summary.p99, 0);
  EXPECT_EQ(summary.max, 0);
}

TEST(LatencyHistogramTest, CorrectionBackFillsTheRequestsAStallHeldBack) {
  // A closed loop that sent every millisecond but waited 10 ms once: an open loop would also
  // have seen the nine requests due during that wait, at 9, 8, ..., 1 ms.
  LatencyHistogram histogram;
  for (int i = 0; i < 99; ++i) histogram.RecordValue(1'000'000);
  histogram.RecordValue(10'000'000);
  const LatencyHistogram corrected = histogram.CorrectedForInterval(1'000'000);
  EXPECT_EQ(corrected.count(), 109);
  EXPECT_EQ(corrected.max(), histogram.max());
  EXPECT_EQ(corrected.min(), histogram.min());
  EXPECT_EQ(histogram.ValueAtPercentile(95), corrected.HighestEquivalentValue(1'000'000));
  // Rank 104 of 109: after the 100 values of about 1 ms come 2, 3, 4 and 5 ms (each kept
  // to the histogram's precision).
  EXPECT_NEAR(corrected.ValueAtPercentile(95), 5'000'000, 10'000);  // within 0.2%
  EXPECT_EQ(histogram.count(), 100);                                // the original is unchanged
}

TEST(LatencyHistogramTest, CorrectionLeavesValuesWithinTheIntervalAlone) {
  LatencyHistogram histogram;
  for (std::int64_t v : {500, 900, 1000}) histogram.RecordValue(v);
  const LatencyHistogram corrected = histogram.CorrectedForInterval(1000);
  EXPECT_EQ(corrected.count(), 3);
  EXPECT_EQ(corrected.ValueAtPercentile(50), 900);
}

TEST(LatencyHistogramTest, MeanIsWithinPrecision) {
  auto values = LogNormalLatencies(100000, 3);
  LatencyHistogram histogram;
  long double sum = 0;
  for (auto value : values) {
    histogram.RecordValue(value);
    sum += value;
  }
  const double exact = static_cast<double>(sum / values.size());
  EXPECT_NEAR(histogram.mean(), exact, exact * 0.001);
}

}  // namespace
}  // namespace modelgate::gates
