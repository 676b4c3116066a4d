#include "gates/metric_thresholds.h"

#include <gtest/gtest.h>

namespace modelgate::gates {
namespace {

TEST(MetricThresholdsTest, StressBudgetsComeFromSpec) {
  ModelVersionSpec spec;
  spec.gates.stress.max_p99_ms = 180;
  spec.gates.stress.compare_to = LatencyComparison{"champion", 1.5};
  auto thresholds = GateThresholds(GateName::kStress, spec);
  auto p99 = FindThresholds(thresholds, "p99Ms");
  ASSERT_EQ(p99.size(), 1u);
  EXPECT_TRUE(p99[0]->at_most);
  EXPECT_EQ(p99[0]->limit, 180);
  EXPECT_EQ(p99[0]->field, "spec.gates.stress.maxP99Ms");
  EXPECT_EQ(FindThresholds(thresholds, "p99Ratio")[0]->limit, 1.5);
  EXPECT_EQ(FindThresholds(thresholds, "errorRate")[0]->limit, 0.01);
  EXPECT_TRUE(FindThresholds(thresholds, "p50Ms").empty());
}

TEST(MetricThresholdsTest, NullRateThresholdCoversEveryFeature) {
  ModelVersionSpec spec;
  spec.gates.data.max_null_rate = 0.05;
  auto thresholds = GateThresholds(GateName::kData, spec);
  ASSERT_EQ(FindThresholds(thresholds, "nullRate.age").size(), 1u);
  EXPECT_TRUE(FindThresholds(thresholds, "nullRate").empty());
}

TEST(MetricThresholdsTest, NullRateThresholdJudgesTheHighestNullRate) {
  ModelVersionSpec spec;
  spec.gates.data.max_null_rate = 0.05;
  auto thresholds = GateThresholds(GateName::kData, spec);
  auto found = FindThresholds(thresholds, "maxNullRate");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]->limit, 0.05);
  EXPECT_EQ(found[0]->field, "spec.gates.data.maxNullRate");
}

TEST(MetricThresholdsTest, PrimaryQualityMetricIsJudgedThreeWays) {
  ModelVersionSpec spec;
  spec.gates.quality.threshold = 0.9;
  spec.gates.quality.baseline_margin = 0.05;
  spec.gates.quality.champion = ChampionComparison{"v1", 0.02, std::nullopt};
  // FindThresholds points into its argument, which must outlive the pointers.
  const auto thresholds = GateThresholds(GateName::kQuality, spec);
  auto auc = FindThresholds(thresholds, "auc");
  ASSERT_EQ(auc.size(), 3u);
  const std::map<std::string, double> metrics = {{"baselineAuc", 0.5}, {"championAuc", 0.95}};
  EXPECT_EQ(EffectiveLimit(*auc[0], metrics), 0.9);
  EXPECT_DOUBLE_EQ(*EffectiveLimit(*auc[1], metrics), 0.55);
  EXPECT_DOUBLE_EQ(*EffectiveLimit(*auc[2], metrics), 0.93);
  EXPECT_FALSE(auc[0]->at_most);
}

TEST(MetricThresholdsTest, ErrorMetricsAreMaxima) {
  ModelVersionSpec spec;
  spec.schema = ModelSchema{ModelTask::kRegression, "y", {}};
  spec.gates.quality.threshold = 3;
  spec.gates.quality.baseline_margin = 0.5;
  const auto thresholds = GateThresholds(GateName::kQuality, spec);
  auto rmse = FindThresholds(thresholds, "rmse");
  ASSERT_EQ(rmse.size(), 2u);
  EXPECT_TRUE(rmse[0]->at_most);
  EXPECT_DOUBLE_EQ(*EffectiveLimit(*rmse[1], {{"baselineRmse", 4}}), 3.5);
}

TEST(MetricThresholdsTest, RelativeLimitWithoutItsMetricIsUnknown) {
  ModelVersionSpec spec;
  const auto thresholds = GateThresholds(GateName::kQuality, spec);
  auto auc = FindThresholds(thresholds, "auc");
  ASSERT_EQ(auc.size(), 1u);  // the baseline margin, 0 by default
  EXPECT_FALSE(EffectiveLimit(*auc[0], {}).has_value());
}

}  // namespace
}  // namespace modelgate::gates
