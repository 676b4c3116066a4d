#include "gates/stress_verdict.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace modelgate::gates {
namespace {

using ::testing::HasSubstr;

// A report of `count` answered requests, all taking `ms` milliseconds, over one second.
LoadReport Report(int count, double ms, int errors = 0) {
  LoadReport report;
  for (int i = 0; i < count; ++i) {
    report.latency.RecordValue(static_cast<std::int64_t>(ms * 1e6));
  }
  report.requests = count;
  report.succeeded = count - errors;
  report.http_errors = errors;
  report.elapsed = std::chrono::seconds(1);
  return report;
}

TEST(StressVerdictTest, PassesWithinBudget) {
  StressBudget budget;
  budget.max_p99_ms = 50;
  GateResult result = StressGateResult(Report(100, 10), nullptr, budget);
  EXPECT_EQ(result.verdict, GateVerdict::kPassed);
  EXPECT_NEAR(result.metrics["p99_ms"], 10, 0.01);
  EXPECT_EQ(result.metrics["throughput"], 100);
}

TEST(StressVerdictTest, FailsWhenP99IsOverTheBudget) {
  StressBudget budget;
  budget.max_p99_ms = 50;
  GateResult result = StressGateResult(Report(100, 200), nullptr, budget);
  EXPECT_EQ(result.verdict, GateVerdict::kFailed);
  EXPECT_THAT(result.message, HasSubstr("p99_ms 200 > 50"));
}

TEST(StressVerdictTest, FailsWhenErrorRateIsOverTheBudget) {
  GateResult result = StressGateResult(Report(100, 1, 5), nullptr, StressBudget{});
  EXPECT_EQ(result.verdict, GateVerdict::kFailed);
  EXPECT_THAT(result.message, HasSubstr("error_rate"));
}

TEST(StressVerdictTest, FailsWhenMuchSlowerThanTheChampion) {
  StressBudget budget;
  budget.max_p99_ratio = 1.2;
  LoadReport champion = Report(100, 10);
  GateResult result = StressGateResult(Report(100, 15), &champion, budget);
  EXPECT_EQ(result.verdict, GateVerdict::kFailed);
  EXPECT_NEAR(result.metrics["p99_ratio"], 1.5, 0.01);
  EXPECT_THAT(result.message, HasSubstr("p99_ratio"));
}

TEST(StressVerdictTest, PassesWhenAsFastAsTheChampion) {
  StressBudget budget;
  budget.max_p99_ratio = 1.2;
  LoadReport champion = Report(100, 10);
  EXPECT_EQ(StressGateResult(Report(100, 11), &champion, budget).verdict, GateVerdict::kPassed);
}

TEST(StressVerdictTest, NoFinishedRequestIsAnError) {
  LoadReport empty;
  EXPECT_EQ(StressGateResult(empty, nullptr, StressBudget{}).verdict, GateVerdict::kError);
}

}  // namespace
}  // namespace modelgate::gates
