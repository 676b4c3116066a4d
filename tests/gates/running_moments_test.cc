#include "gates/running_moments.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

namespace modelgate::gates {
namespace {

// numpy's two-pass mean and var (ddof=0), in long double.
void TwoPass(const std::vector<double>& values, double* mean, double* variance) {
  long double sum = 0;
  for (double v : values) sum += v;
  const long double m = sum / static_cast<long double>(values.size());
  long double squares = 0;
  for (double v : values) squares += (v - m) * (v - m);
  *mean = static_cast<double>(m);
  *variance = static_cast<double>(squares / static_cast<long double>(values.size()));
}

std::vector<double> Values(std::size_t n, double offset, double scale) {
  std::vector<double> out;
  std::uint64_t x = 99;
  for (std::size_t i = 0; i < n; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    out.push_back(offset + scale * (static_cast<double>(x >> 11) / 9007199254740992.0 - 0.5));
  }
  return out;
}

TEST(RunningMomentsTest, MatchesTwoPassMeanAndVarianceForEveryBlockRemainder) {
  for (std::size_t n : {1u, 2u, 63u, 64u, 65u, 1000u, 100001u}) {
    std::vector<double> values = Values(n, 3.0, 10.0);
    RunningMoments moments;
    for (double v : values) moments.Add(v);
    double mean = 0, variance = 0;
    TwoPass(values, &mean, &variance);
    EXPECT_EQ(moments.count(), static_cast<std::int64_t>(n));
    EXPECT_NEAR(moments.mean(), mean, 1e-13 * std::abs(mean)) << n;
    EXPECT_NEAR(moments.population_variance(), variance, 1e-12 * variance + 1e-300) << n;
  }
}

TEST(RunningMomentsTest, StaysAccurateUnderALargeCommonOffset) {
  std::vector<double> values = Values(50000, 1e9, 1.0);
  RunningMoments moments;
  for (double v : values) moments.Add(v);
  double mean = 0, variance = 0;
  TwoPass(values, &mean, &variance);
  EXPECT_NEAR(moments.population_variance(), variance, 1e-6 * variance);
}

TEST(RunningMomentsTest, IsZeroWithoutValues) {
  RunningMoments moments;
  EXPECT_EQ(moments.count(), 0);
  EXPECT_EQ(moments.mean(), 0);
  EXPECT_EQ(moments.population_variance(), 0);
}

TEST(RunningMomentsTest, GivesZeroVarianceForAConstant) {
  RunningMoments moments;
  for (int i = 0; i < 200; ++i) moments.Add(0.1);
  EXPECT_DOUBLE_EQ(moments.mean(), 0.1);
  EXPECT_EQ(moments.population_variance(), 0);
}

}  // namespace
}  // namespace modelgate::gates
