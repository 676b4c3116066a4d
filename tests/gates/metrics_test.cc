#include "gates/metrics.h"

#include <gtest/gtest.h>

#include "tests/gates/test_vectors.h"

namespace modelgate::gates {
namespace {

using testing::LoadVectors;
using testing::Near;

std::vector<int> Ints(const nlohmann::json& j) { return j.get<std::vector<int>>(); }
std::vector<double> Doubles(const nlohmann::json& j) { return j.get<std::vector<double>>(); }
std::vector<double> Flatten(const nlohmann::json& rows) {
  std::vector<double> out;
  for (const auto& row : rows) {
    for (double v : row.get<std::vector<double>>()) out.push_back(v);
  }
  return out;
}

// Tolerances: counting metrics are exact ratios (1e-15); AUC, log loss and regression
// metrics are short sums (1e-12 relative).
void ExpectScores(const ClassificationScores& s, const nlohmann::json& expected) {
  EXPECT_TRUE(Near(s.precision, expected["precision"].get<double>(), 1e-15, 1e-15));
  EXPECT_TRUE(Near(s.recall, expected["recall"].get<double>(), 1e-15, 1e-15));
  EXPECT_TRUE(Near(s.f1, expected["f1"].get<double>(), 1e-15, 1e-15));
}

TEST(MetricsTest, ClassificationScoresMatchScikitLearn) {
  nlohmann::json vectors = LoadVectors("metrics.json");
  ASSERT_FALSE(vectors["classification"].empty());
  for (const auto& c : vectors["classification"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    auto y = Ints(c["y_true"]);
    auto p = Ints(c["y_pred"]);
    EXPECT_TRUE(Near(*Accuracy(y, p), c["accuracy"].get<double>(), 1e-15));
    ExpectScores(*PrecisionRecallF1(y, p, Averaging::kMacro), c["macro"]);
    ExpectScores(*PrecisionRecallF1(y, p, Averaging::kWeighted), c["weighted"]);
    if (c.contains("binary"))
      ExpectScores(*PrecisionRecallF1(y, p, Averaging::kBinary), c["binary"]);
  }
}

TEST(MetricsTest, BinaryRocAucWithTiesMatchesScikitLearn) {
  const nlohmann::json vectors = LoadVectors("metrics.json");
  for (const auto& c : vectors["roc_auc_binary"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    Result<double> auc = RocAuc(Ints(c["y_true"]), Doubles(c["score"]));
    ASSERT_TRUE(auc.ok()) << auc.status().ToString();
    EXPECT_TRUE(Near(*auc, c["auc"].get<double>(), 1e-12, 1e-15));
  }
}

TEST(MetricsTest, OneVsRestRocAucMatchesScikitLearn) {
  const nlohmann::json vectors = LoadVectors("metrics.json");
  for (const auto& c : vectors["roc_auc_ovr"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    const int k = static_cast<int>(c["proba"][0].size());
    Result<double> auc = RocAucOneVsRest(Ints(c["y_true"]), Flatten(c["proba"]), k);
    ASSERT_TRUE(auc.ok()) << auc.status().ToString();
    EXPECT_TRUE(Near(*auc, c["auc"].get<double>(), 1e-12, 1e-15));
  }
}

TEST(MetricsTest, LogLossClipsLikeScikitLearn) {
  const nlohmann::json vectors = LoadVectors("metrics.json");
  for (const auto& c : vectors["log_loss"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    const int k = static_cast<int>(c["proba"][0].size());
    Result<double> loss = LogLoss(Ints(c["y_true"]), Flatten(c["proba"]), k);
    ASSERT_TRUE(loss.ok()) << loss.status().ToString();
    EXPECT_TRUE(Near(*loss, c["log_loss"].get<double>(), 1e-12, 1e-15));
  }
}

TEST(MetricsTest, RegressionMetricsMatchScikitLearnIncludingConstantTarget) {
  const nlohmann::json vectors = LoadVectors("metrics.json");
  for (const auto& c : vectors["regression"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    Result<RegressionScores> s = RegressionMetrics(Doubles(c["y_true"]), Doubles(c["y_pred"]));
    ASSERT_TRUE(s.ok());
    EXPECT_TRUE(Near(s->rmse, c["rmse"].get<double>(), 1e-12, 1e-15));
    EXPECT_TRUE(Near(s->mae, c["mae"].get<double>(), 1e-12, 1e-15));
    EXPECT_TRUE(Near(s->r2, c["r2"].get<double>(), 1e-12, 1e-15));
  }
}

TEST(MetricsTest, RocAucRejectsSingleClassLabels) {
  Result<double> auc = RocAuc(std::vector<int>{1, 1, 1}, std::vector<double>{0.2, 0.5, 0.9});
  EXPECT_EQ(auc.status().code(), Status::Code::kInvalidArgument);
}

TEST(MetricsTest, LogLossRejectsProbabilityAboveOne) {
  EXPECT_FALSE(LogLoss(std::vector<int>{0}, std::vector<double>{1.5, -0.5}, 2).ok());
}

TEST(MetricsTest, RejectsLengthMismatch) {
  EXPECT_EQ(Accuracy(std::vector<int>{1, 0}, std::vector<int>{1}).status().message(),
            "length mismatch: 2 labels, 1 predictions");
}

TEST(MetricsTest, MajorityClassPrefersSmallestLabelOnTies) {
  EXPECT_EQ(*MajorityClass(std::vector<int>{2, 1, 2, 1, 0}), 1);
  EXPECT_EQ(*MajorityClass(std::vector<int>{3, 3, 0}), 3);
}

TEST(MetricsTest, MeanBaselineIsTheMean) {
  EXPECT_DOUBLE_EQ(*MeanBaseline(std::vector<double>{1, 2, 6}), 3);
}

}  // namespace
}  // namespace modelgate::gates
