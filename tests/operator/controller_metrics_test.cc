#include "operator/controller_metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace modelgate::op {
namespace {

using ::testing::HasSubstr;

TEST(ControllerMetricsTest, CountsReconcilesAndErrors) {
  ControllerMetrics metrics;
  metrics.ObserveReconcile(std::chrono::milliseconds(3), false);
  metrics.ObserveReconcile(std::chrono::milliseconds(30), true);
  std::string text = metrics.Render();
  EXPECT_THAT(text, HasSubstr("modelgate_reconciles_total 2\n"));
  EXPECT_THAT(text, HasSubstr("modelgate_reconcile_errors_total 1\n"));
}

TEST(ControllerMetricsTest, HistogramBucketsAreCumulative) {
  ControllerMetrics metrics;
  metrics.ObserveReconcile(std::chrono::milliseconds(3), false);
  metrics.ObserveReconcile(std::chrono::milliseconds(30), false);
  std::string text = metrics.Render();
  EXPECT_THAT(text, HasSubstr("modelgate_reconcile_duration_seconds_bucket{le=\"0.005\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("modelgate_reconcile_duration_seconds_bucket{le=\"0.05\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("modelgate_reconcile_duration_seconds_bucket{le=\"+Inf\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("modelgate_reconcile_duration_seconds_count 2\n"));
}

TEST(ControllerMetricsTest, GateOutcomesByGate) {
  ControllerMetrics metrics;
  metrics.ObserveGateOutcome(GateName::kQuality, GatePhase::kFailed);
  EXPECT_THAT(metrics.Render(),
              HasSubstr("modelgate_gate_outcomes_total{gate=\"quality\",outcome=\"Failed\"} 1\n"));
}

TEST(ControllerMetricsTest, GaugesReadTheirSourceAtScrapeTime) {
  ControllerMetrics metrics;
  double depth = 3;
  metrics.SetQueueDepth([&depth] { return depth; });
  EXPECT_THAT(metrics.Render(), HasSubstr("modelgate_workqueue_depth 3\n"));
  depth = 7;
  EXPECT_THAT(metrics.Render(), HasSubstr("modelgate_workqueue_depth 7\n"));
  EXPECT_THAT(metrics.Render(), HasSubstr("modelgate_validation_jobs_running 0\n"));
}

}  // namespace
}  // namespace modelgate::op
