#include "gates/gate_pipeline_serving.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "gates/gate_pipeline_runner.h"

namespace modelgate::gates {
namespace {

using ::testing::HasSubstr;

InferenceBatch BaseRow() {
  InferenceBatch base;
  base.columns = {"radius", "city"};
  base.rows = {{12.5, std::string("Oslo")}};
  return base;
}

LoadReport Measured(std::int64_t latency_ms, std::int64_t ok, std::int64_t errors) {
  LoadReport report;
  for (std::int64_t i = 0; i < ok + errors; ++i) {
    report.latency.Record(std::chrono::milliseconds(latency_ms));
  }
  report.requests = ok + errors;
  report.succeeded = ok;
  report.http_errors = errors;
  report.elapsed = std::chrono::seconds(1);
  return report;
}

TEST(StressJudgeTest, FailsWhenP99AboveMaximum) {
  StressGateSpec spec;
  spec.max_p99_ms = 100;
  GateResult result = JudgeStress(spec, Measured(200, 100, 0), nullptr);
  EXPECT_EQ(result.verdict, GateVerdict::kFailed);
  EXPECT_THAT(result.message, HasSubstr("p99 200 ms > max 100 ms"));
  EXPECT_NEAR(result.metrics.at("p99Ms"), 200, 0.2);
}

TEST(StressJudgeTest, FailsWhenErrorRateAboveMaximum) {
  StressGateSpec spec;
  GateResult result = JudgeStress(spec, Measured(5, 90, 10), nullptr);
  EXPECT_EQ(result.verdict, GateVerdict::kFailed);
  EXPECT_THAT(result.message, HasSubstr("error rate 0.1 > max 0.01"));
}

TEST(StressJudgeTest, ComparesP99WithTheChampion) {
  StressGateSpec spec;
  spec.compare_to = LatencyComparison{"fraud-v1", 1.2};
  LoadReport champion = Measured(10, 100, 0);
  GateResult slow = JudgeStress(spec, Measured(50, 100, 0), &champion);
  EXPECT_EQ(slow.verdict, GateVerdict::kFailed);
  EXPECT_NEAR(slow.metrics.at("championP99Ms"), 10, 0.01);
  EXPECT_THAT(slow.message, HasSubstr("x the champion's 10 ms > max ratio 1.2"));
  EXPECT_EQ(JudgeStress(spec, Measured(11, 100, 0), &champion).verdict, GateVerdict::kPassed);
}

TEST(StressJudgeTest, NoCompletedRequestFails) {
  LoadReport nothing;
  EXPECT_EQ(JudgeStress(StressGateSpec{}, nothing, nullptr).verdict, GateVerdict::kFailed);
}

TEST(StressTargetTest, EncodesARowForTheServedModel) {
  ModelVersionSpec spec;
  spec.model = "fraud";
  auto target = StressTargetFor("http://127.0.0.1:8081/v2/models/good", spec, BaseRow());
  ASSERT_TRUE(target.ok()) << target.status().ToString();
  EXPECT_EQ(target->host, "127.0.0.1");
  EXPECT_EQ(target->port, 8081);
  EXPECT_EQ(target->path, "/v2/models/good/infer");
  EXPECT_THAT(target->body, HasSubstr("12.5"));
}

TEST(StressTargetTest, RefusesHttps) {
  auto target = StressTargetFor("https://models.example.com", ModelVersionSpec{}, BaseRow());
  ASSERT_FALSE(target.ok());
  EXPECT_THAT(target.status().message(), HasSubstr("https://models.example.com"));
}

TEST(EndpointAddressTest, TakesTheModelNameFromTheUrlPath) {
  EndpointAddress address = ParseEndpointAddress("http://127.0.0.1:9000/v2/models/worse/ready");
  EXPECT_EQ(address.base_url, "http://127.0.0.1:9000");
  EXPECT_EQ(address.model_name, "worse");
  EXPECT_FALSE(ParseEndpointAddress("http://127.0.0.1:9000").model_name.has_value());
}

}  // namespace
}  // namespace modelgate::gates
