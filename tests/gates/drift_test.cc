#include "gates/drift.h"

#include <gtest/gtest.h>

#include "tests/gates/test_vectors.h"

namespace modelgate::gates {
namespace {

using testing::LoadVectors;
using testing::Near;

std::vector<double> Counts(const nlohmann::json& j) { return j.get<std::vector<double>>(); }

// Tolerances: sums of a few hundred terms agree with numpy to ~1e-12 relative; chi-square
// p-values come from a continued fraction accurate to ~1e-13 relative (1e-10 asked).
TEST(DriftTest, DecileEdgesMatchNumpyQuantile) {
  const nlohmann::json vectors = LoadVectors("drift.json");
  for (const auto& c : vectors["numeric"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    auto edges = DecileEdges(EmpiricalDistribution::FromValues(Counts(c["reference"])));
    auto expected = Counts(c["decile_edges"]);
    ASSERT_EQ(edges.size(), expected.size());
    for (std::size_t i = 0; i < edges.size(); ++i)
      EXPECT_TRUE(Near(edges[i], expected[i], 1e-14, 1e-14));
  }
}

TEST(DriftTest, QuantilesMatchNumpyLinearInterpolation) {
  const nlohmann::json vectors = LoadVectors("drift.json");
  for (const auto& c : vectors["quantiles"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    auto d = EmpiricalDistribution::FromValues(Counts(c["values"]));
    auto q = Counts(c["q"]);
    auto expected = Counts(c["expected"]);
    for (std::size_t i = 0; i < q.size(); ++i)
      EXPECT_TRUE(Near(d.Quantile(q[i]), expected[i], 1e-14, 1e-14));
  }
}

TEST(DriftTest, NumericPsiOnReferenceDecilesMatchesReference) {
  const nlohmann::json vectors = LoadVectors("drift.json");
  for (const auto& c : vectors["numeric"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    auto ref = EmpiricalDistribution::FromValues(Counts(c["reference"]));
    auto cur = EmpiricalDistribution::FromValues(Counts(c["current"]));
    auto edges = DecileEdges(ref);
    double psi = PopulationStabilityIndex(BinCounts(ref, edges), BinCounts(cur, edges));
    EXPECT_TRUE(Near(psi, c["psi"].get<double>(), 1e-10, 1e-12));
  }
}

TEST(DriftTest, NumericJensenShannonOnSturgesBinsMatchesEvidently) {
  const nlohmann::json vectors = LoadVectors("drift.json");
  for (const auto& c : vectors["numeric"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    auto ref_values = Counts(c["reference"]);
    auto cur_values = Counts(c["current"]);
    auto ref = EmpiricalDistribution::FromValues(ref_values);
    auto cur = EmpiricalDistribution::FromValues(cur_values);
    double low = std::min(ref.values().front(), cur.values().front());
    double high = std::max(ref.values().back(), cur.values().back());
    std::size_t bins = SturgesBins(ref.total() + cur.total());
    EXPECT_EQ(bins, c["sturges_bins"].get<std::size_t>());
    double js = JensenShannonDistance(HistogramCounts(ref, low, high, bins),
                                      HistogramCounts(cur, low, high, bins));
    EXPECT_TRUE(Near(js, c["jensenshannon_sturges"].get<double>(), 1e-10, 1e-12));
  }
}

TEST(DriftTest, WassersteinMatchesScipyAndEvidentlyNorm) {
  const nlohmann::json vectors = LoadVectors("drift.json");
  for (const auto& c : vectors["numeric"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    auto ref = EmpiricalDistribution::FromValues(Counts(c["reference"]));
    auto cur = EmpiricalDistribution::FromValues(Counts(c["current"]));
    EXPECT_TRUE(Near(WassersteinDistance(ref, cur), c["wasserstein"].get<double>(), 1e-12, 1e-14));
    EXPECT_TRUE(Near(NormedWassersteinDistance(ref, cur, c["reference_std"].get<double>()),
                     c["wasserstein_norm"].get<double>(), 1e-12, 1e-14));
  }
}

TEST(DriftTest, KsStatisticOfDistributionsMatchesScipy) {
  const nlohmann::json vectors = LoadVectors("ks.json");
  for (const auto& c : vectors["two_sample"]) {
    if (!c["a"].is_array()) continue;
    SCOPED_TRACE(c["name"].get<std::string>());
    auto ref = EmpiricalDistribution::FromValues(Counts(c["a"]));
    auto cur = EmpiricalDistribution::FromValues(Counts(c["b"]));
    EXPECT_TRUE(Near(KsStatistic(ref, cur), c["statistic"].get<double>(), 1e-12, 1e-15));
  }
}

TEST(DriftTest, CategoricalStatisticsMatchScipyAndEvidently) {
  const nlohmann::json vectors = LoadVectors("drift.json");
  for (const auto& c : vectors["categorical"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    auto ref = Counts(c["reference"]);
    auto cur = Counts(c["current"]);
    EXPECT_TRUE(Near(PopulationStabilityIndex(ref, cur), c["psi"].get<double>(), 1e-10, 1e-12));
    EXPECT_TRUE(
        Near(JensenShannonDistance(ref, cur), c["jensenshannon"].get<double>(), 1e-10, 1e-12));
    ChiSquareResult chi = ChiSquareTest(ref, cur);
    if (c["chisquare_statistic"].is_null()) {
      EXPECT_TRUE(std::isinf(chi.statistic));
    } else {
      EXPECT_TRUE(Near(chi.statistic, c["chisquare_statistic"].get<double>(), 1e-12, 1e-12));
    }
    EXPECT_TRUE(Near(chi.p_value, c["chisquare_p_value"].get<double>(), 1e-10, 1e-15));
  }
}

TEST(DriftTest, ChiSquareSurvivalMatchesScipy) {
  const nlohmann::json vectors = LoadVectors("drift.json");
  for (const auto& c : vectors["chi2_sf"]) {
    const double k = c["k"].get<double>();
    const double x = c["x"].get<double>();
    SCOPED_TRACE("k=" + std::to_string(k) + " x=" + std::to_string(x));
    EXPECT_TRUE(Near(RegularizedGammaQ(k / 2, x / 2), c["sf"].get<double>(), 1e-10, 1e-300));
  }
}

TEST(DriftTest, ProportionsZTestMatchesEvidently) {
  const nlohmann::json vectors = LoadVectors("drift.json");
  for (const auto& c : vectors["z_test"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    double p = ProportionsZTestPValue(
        c["reference_first"].get<double>(), c["reference_total"].get<double>(),
        c["current_first"].get<double>(), c["current_total"].get<double>());
    EXPECT_TRUE(Near(p, c["p_value"].get<double>(), 1e-10, 1e-15));
  }
}

TEST(DriftTest, ZTestOfSameSingleValueIsOne) {
  EXPECT_EQ(ProportionsZTestPValue(10, 10, 7, 7), 1.0);
}

TEST(DriftTest, PsiOfIdenticalBinsIsZero) {
  EXPECT_EQ(PopulationStabilityIndex({1, 2, 0, 3}, {2, 4, 0, 6}), 0.0);
}

TEST(DriftTest, ChiSquareWithOneCategoryHasNoDrift) {
  ChiSquareResult chi = ChiSquareTest({10}, {4});
  EXPECT_EQ(chi.p_value, 1.0);
  EXPECT_EQ(chi.degrees_of_freedom, 0u);
}

}  // namespace
}  // namespace modelgate::gates
