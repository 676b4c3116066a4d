#include "gates/gate_result.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace modelgate::gates {
namespace {

GateResult Sample() {
  GateResult r;
  r.gate = "data";
  r.verdict = GateVerdict::kFailed;
  r.metrics = {{"drift_share", 0.75}, {"rows", 1000}};
  r.message = "3 of 4 features drifted";
  r.details = {{"findings", nlohmann::json::array({"a", "b"})}};
  return r;
}

TEST(GateResultTest, CompactJsonCarriesVerdictMessageAndMetricsButNotDetails) {
  auto j = nlohmann::json::parse(CompactResultJson(Sample()));
  EXPECT_EQ(j["gate"], "data");
  EXPECT_EQ(j["verdict"], "Failed");
  EXPECT_EQ(j["message"], "3 of 4 features drifted");
  EXPECT_EQ(j["metrics"]["drift_share"], 0.75);
  EXPECT_FALSE(j.contains("details"));
  EXPECT_FALSE(j.contains("truncated"));
}

TEST(GateResultTest, CompactJsonStaysUnderTerminationMessageLimit) {
  GateResult r = Sample();
  r.message = std::string(10000, 'm');
  for (int i = 0; i < 500; ++i) r.metrics["drift_score.feature_" + std::to_string(i)] = i * 0.001;
  std::string text = CompactResultJson(r);
  EXPECT_LE(text.size(), kMaxCompactResultBytes);
  auto j = nlohmann::json::parse(text);
  EXPECT_EQ(j["verdict"], "Failed");
  EXPECT_TRUE(j["truncated"].get<bool>());
  EXPECT_TRUE(j["metrics"].contains("drift_share"));
}

TEST(GateResultTest, CompactJsonCarriesAtMostTheMetricCountTheOperatorAccepts) {
  GateResult r = Sample();
  // 35 features with a drift score and a null rate each: small in bytes, too many in number.
  for (int i = 0; i < 35; ++i) {
    r.metrics["driftScore.f" + std::to_string(i)] = 0.1;
    r.metrics["nullRate.f" + std::to_string(i)] = 0.0;
  }
  auto j = nlohmann::json::parse(CompactResultJson(r));
  EXPECT_EQ(j["metrics"].size(), kMaxCompactResultMetrics);
  EXPECT_TRUE(j["truncated"].get<bool>());
  EXPECT_TRUE(j["metrics"].contains("drift_share"));
}

TEST(GateResultTest, ShortenedMessageRemainsValidUtf8) {
  GateResult r = Sample();
  r.message.clear();
  for (int i = 0; i < 3000; ++i) r.message += "\xC3\xA9";  // é
  std::string text = CompactResultJson(r);
  EXPECT_LE(text.size(), kMaxCompactResultBytes);
  EXPECT_FALSE(nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false).is_discarded());
}

TEST(GateResultTest, NonFiniteMetricsBecomeNull) {
  GateResult r = Sample();
  r.metrics["p_value"] = std::nan("");
  auto j = FullResultJson(r);
  EXPECT_TRUE(j["metrics"]["p_value"].is_null());
  EXPECT_EQ(j["details"]["findings"].size(), 2u);
}

TEST(GateResultTest, VerdictNames) {
  EXPECT_STREQ(GateVerdictName(GateVerdict::kPassed), "Passed");
  EXPECT_STREQ(GateVerdictName(GateVerdict::kError), "Error");
}

}  // namespace
}  // namespace modelgate::gates
