#include "gates/latency_curve.h"

#include <gtest/gtest.h>

#include "gates/gate_pipeline_serving.h"

namespace modelgate::gates {
namespace {

LatencyHistogram Uniform(int count) {
  LatencyHistogram histogram;
  for (int i = 1; i <= count; ++i) histogram.RecordValue(std::int64_t{i} * 1'000'000);  // i ms
  return histogram;
}

TEST(LatencyCurveTest, EmptyHistogramHasNoCurve) {
  EXPECT_TRUE(LatencyPercentileCurve(LatencyHistogram()).empty());
}

TEST(LatencyCurveTest, StartsAtTheMinimumAndEndsAtTheMaximum) {
  const auto curve = LatencyPercentileCurve(Uniform(1000));
  ASSERT_GE(curve.size(), 3u);
  EXPECT_EQ(curve.front().percentile, 0);
  EXPECT_NEAR(curve.front().milliseconds, 1, 0.001);
  EXPECT_EQ(curve.back().percentile, 100);
  EXPECT_NEAR(curve.back().milliseconds, 1000, 1);
}

TEST(LatencyCurveTest, EachPointIsTheHistogramsValueAtItsPercentile) {
  const LatencyHistogram histogram = Uniform(1000);
  for (const LatencyPercentile& p : LatencyPercentileCurve(histogram)) {
    EXPECT_EQ(p.milliseconds, static_cast<double>(histogram.ValueAtPercentile(p.percentile)) / 1e6)
        << p.percentile;
  }
}

TEST(LatencyCurveTest, FiveStepsPerHalvingUntilOneValueIsLeftAbove) {
  const auto curve = LatencyPercentileCurve(Uniform(1024));
  // 1024 values: 2^-(k/5) * 1024 >= 1 for k <= 50, then the maximum.
  ASSERT_EQ(curve.size(), 52u);
  EXPECT_NEAR(curve[5].percentile, 50, 1e-9);
  EXPECT_NEAR(curve[10].percentile, 75, 1e-9);
  for (std::size_t i = 1; i < curve.size(); ++i) {
    EXPECT_GT(curve[i].percentile, curve[i - 1].percentile);
    EXPECT_GE(curve[i].milliseconds, curve[i - 1].milliseconds);
  }
}

TEST(LatencyCurveTest, JsonRoundTrips) {
  const auto curve = LatencyPercentileCurve(Uniform(100));
  auto back = LatencyPercentileCurveFromJson(LatencyPercentileCurveJson(curve));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ASSERT_EQ(back->size(), curve.size());
  for (std::size_t i = 0; i < curve.size(); ++i) {
    EXPECT_EQ((*back)[i].percentile, curve[i].percentile);
    EXPECT_EQ((*back)[i].milliseconds, curve[i].milliseconds);
  }
}

TEST(LatencyCurveTest, FromJsonRefusesDescendingPercentilesNamingThePoint) {
  auto parsed = LatencyPercentileCurveFromJson(nlohmann::json::parse("[[50, 1], [40, 2]]"));
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.status().message().find("latency curve[1]"), std::string::npos);
}

TEST(LatencyCurveTest, FromJsonRefusesBadShapesAndValues) {
  for (const char* text : {"{}", "[[1]]", "[[\"50\", 1]]", "[[101, 1]]", "[[50, -1]]"}) {
    EXPECT_FALSE(LatencyPercentileCurveFromJson(nlohmann::json::parse(text)).ok()) << text;
  }
  EXPECT_FALSE(LatencyPercentileCurveFromJson(nlohmann::json(std::vector<std::vector<double>>(
                                                  kMaxLatencyCurvePoints + 1, {50.0, 1.0})))
                   .ok());
}

TEST(LatencyCurveTest, StressReportCarriesTheCurvesOfCandidateAndChampion) {
  LoadReport candidate, champion;
  candidate.latency = Uniform(200);
  champion.latency = Uniform(100);
  candidate.requests = candidate.succeeded = 200;
  champion.requests = champion.succeeded = 100;
  StressGateSpec spec;
  spec.compare_to = LatencyComparison{"champion", 2.5};
  GateResult result = JudgeStress(spec, candidate, &champion);
  auto curve = LatencyPercentileCurveFromJson(result.details["latencyPercentiles"]);
  ASSERT_TRUE(curve.ok()) << curve.status().ToString();
  EXPECT_NEAR(curve->back().milliseconds, 200, 0.2);
  auto champion_curve =
      LatencyPercentileCurveFromJson(result.details["championLatencyPercentiles"]);
  ASSERT_TRUE(champion_curve.ok());
  EXPECT_NEAR(champion_curve->back().milliseconds, 100, 0.1);
}

}  // namespace
}  // namespace modelgate::gates
