#include "gates/kolmogorov_smirnov.h"

#include <gtest/gtest.h>

#include "tests/gates/test_vectors.h"

namespace modelgate::gates {
namespace {

using testing::LoadVectors;
using testing::Near;
using testing::Sample;

// Tolerances: the statistic is a ratio of counts and must match to rounding; exact p-values
// follow the same recursion as scipy (1e-9 relative); asymptotic ones come from series that
// scipy evaluates in a slightly different order or with Pomeranz's method (1e-6 relative,
// 1e-12 absolute for values near zero).
TEST(KolmogorovSmirnovTest, TwoSampleMatchesScipyKs2samp) {
  nlohmann::json vectors = LoadVectors("ks.json");
  ASSERT_FALSE(vectors["two_sample"].empty());
  for (const auto& c : vectors["two_sample"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    KsResult r = KsTwoSample(Sample(c["a"]), Sample(c["b"]));
    EXPECT_TRUE(Near(r.statistic, c["statistic"].get<double>(), 1e-12, 1e-15));
    double tolerance = r.exact ? 1e-9 : 1e-6;
    EXPECT_TRUE(Near(r.p_value, c["p_value"].get<double>(), tolerance, 1e-12));
  }
}

TEST(KolmogorovSmirnovTest, UsesExactMethodUpToTenThousandObservations) {
  std::vector<double> a(10000, 0.0), b(9000, 1.0);
  for (std::size_t i = 0; i < a.size(); ++i) a[i] = double(i) / 10000;
  for (std::size_t i = 0; i < b.size(); ++i) b[i] = double(i) / 9000 + 0.001;
  EXPECT_TRUE(KsTwoSample(a, b).exact);
  a.push_back(0.5);
  EXPECT_FALSE(KsTwoSample(a, b).exact);
}

TEST(KolmogorovSmirnovTest, KolmogorovSurvivalMatchesScipyKstwo) {
  nlohmann::json vectors = LoadVectors("ks.json");
  ASSERT_FALSE(vectors["kolmogorov_sf"].empty());
  for (const auto& c : vectors["kolmogorov_sf"]) {
    const auto n = c["n"].get<std::int64_t>();
    const double x = c["x"].get<double>();
    SCOPED_TRACE("n=" + std::to_string(n) + " x=" + std::to_string(x));
    EXPECT_TRUE(Near(KolmogorovSurvival(n, x), c["sf"].get<double>(), 1e-6, 1e-12));
  }
}

TEST(KolmogorovSmirnovTest, SmirnovSurvivalMatchesScipySpecialSmirnov) {
  nlohmann::json vectors = LoadVectors("ks.json");
  ASSERT_FALSE(vectors["smirnov_sf"].empty());
  for (const auto& c : vectors["smirnov_sf"]) {
    const auto n = c["n"].get<std::int64_t>();
    const double x = c["x"].get<double>();
    SCOPED_TRACE("n=" + std::to_string(n) + " x=" + std::to_string(x));
    EXPECT_TRUE(Near(SmirnovSurvival(n, x), c["sf"].get<double>(), 1e-9, 1e-15));
  }
}

TEST(KolmogorovSmirnovTest, IdenticalSamplesHavePValueOne) {
  KsResult r = KsTwoSample({1, 2, 3}, {1, 2, 3});
  EXPECT_EQ(r.statistic, 0);
  EXPECT_EQ(r.p_value, 1);
}

}  // namespace
}  // namespace modelgate::gates
