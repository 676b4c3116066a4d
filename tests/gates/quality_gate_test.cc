#include "gates/quality_gate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/gates/fake_inference_endpoint.h"

namespace modelgate::gates {
namespace {

using ::modelgate::gates::testing::FakeInferenceEndpoint;
using ::modelgate::gates::testing::ProbabilityFromCell;
using ::testing::DoubleNear;
using ::testing::HasSubstr;

// Rows whose single feature is the probability a calibrated model would give class 1.
LabeledRows Rows(const std::vector<double>& scores, const std::vector<std::string>& targets) {
  LabeledRows rows;
  rows.source = "holdout.csv";
  rows.features.columns = {"score"};
  for (double score : scores) rows.features.rows.push_back({score});
  rows.targets = targets;
  return rows;
}

// scikit-learn's roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) is 0.75.
LabeledRows SklearnExampleRows() { return Rows({0.1, 0.4, 0.35, 0.8}, {"0", "0", "1", "1"}); }

QualityGateConfig AucConfig() {
  QualityGateConfig config;
  config.metric = QualityMetric::kAuc;
  return config;
}

TEST(QualityGateTest, ComputesAucOfTheCandidatesAnswers) {
  FakeInferenceEndpoint candidate("candidate", ProbabilityFromCell);
  LabeledRows holdout = SklearnExampleRows();
  GateResult result = EvaluateQualityGate(AucConfig(), {&candidate, nullptr, &holdout});
  EXPECT_EQ(result.verdict, GateVerdict::kPassed) << result.message;
  EXPECT_THAT(result.metrics.at("auc"), DoubleNear(0.75, 1e-12));
  EXPECT_THAT(result.metrics.at("accuracy"), DoubleNear(0.75, 1e-12));
  EXPECT_THAT(result.metrics.at("baselineAuc"), DoubleNear(0.5, 1e-12));
}

TEST(QualityGateTest, FailsWhenMetricBelowThresholdWithTheNumbers) {
  FakeInferenceEndpoint candidate("candidate", ProbabilityFromCell);
  LabeledRows holdout = SklearnExampleRows();
  QualityGateConfig config = AucConfig();
  config.threshold = 0.8;
  GateResult result = EvaluateQualityGate(config, {&candidate, nullptr, &holdout});
  EXPECT_EQ(result.verdict, GateVerdict::kFailed);
  EXPECT_THAT(result.message, HasSubstr("auc 0.75 < threshold 0.8"));
}

TEST(QualityGateTest, PassesWhenMetricMeetsThreshold) {
  FakeInferenceEndpoint candidate("candidate", ProbabilityFromCell);
  LabeledRows holdout = SklearnExampleRows();
  QualityGateConfig config = AucConfig();
  config.threshold = 0.7;
  GateResult result = EvaluateQualityGate(config, {&candidate, nullptr, &holdout});
  EXPECT_EQ(result.verdict, GateVerdict::kPassed) << result.message;
  EXPECT_THAT(result.message, HasSubstr("auc 0.75 >= threshold 0.7"));
}

TEST(QualityGateTest, FailsWhenNotBetterThanNaiveBaselineByMargin) {
  FakeInferenceEndpoint candidate("candidate", ProbabilityFromCell);
  LabeledRows holdout = SklearnExampleRows();
  QualityGateConfig config = AucConfig();
  config.baseline_margin = 0.3;  // 0.75 - 0.5 = 0.25 < 0.3
  GateResult result = EvaluateQualityGate(config, {&candidate, nullptr, &holdout});
  EXPECT_EQ(result.verdict, GateVerdict::kFailed);
  EXPECT_THAT(result.message, HasSubstr("does not beat the naive baseline's 0.5"));
}

TEST(QualityGateTest, FailsWhenWorseThanChampionByMoreThanAllowed) {
  FakeInferenceEndpoint candidate("candidate", ProbabilityFromCell);
  // The champion ranks every row right: auc 1.
  FakeInferenceEndpoint champion("champion",
                                 [](double p) { return ProbabilityFromCell(p == 0.35 ? 0.9 : p); });
  LabeledRows holdout = SklearnExampleRows();
  QualityGateConfig config = AucConfig();
  config.max_degradation = 0.1;
  GateResult result = EvaluateQualityGate(config, {&candidate, &champion, &holdout});
  EXPECT_EQ(result.verdict, GateVerdict::kFailed);
  EXPECT_THAT(result.metrics.at("championAuc"), DoubleNear(1.0, 1e-12));
  EXPECT_THAT(result.message, HasSubstr("auc 0.75 vs champion 1: worse by 0.25 > allowed 0.1"));
}

TEST(QualityGateTest, FailsWhenRelativeDegradationExceeded) {
  FakeInferenceEndpoint candidate("candidate", ProbabilityFromCell);
  FakeInferenceEndpoint champion("champion",
                                 [](double p) { return ProbabilityFromCell(p == 0.35 ? 0.9 : p); });
  LabeledRows holdout = SklearnExampleRows();
  QualityGateConfig config = AucConfig();
  config.max_relative_degradation = 0.2;
  GateResult result = EvaluateQualityGate(config, {&candidate, &champion, &holdout});
  EXPECT_EQ(result.verdict, GateVerdict::kFailed);
  EXPECT_THAT(result.message, HasSubstr("worse by 25% > allowed 20%"));
}

TEST(QualityGateTest, PassesWhenBetterThanChampion) {
  FakeInferenceEndpoint candidate("candidate", ProbabilityFromCell);
  FakeInferenceEndpoint champion("champion", [](double) { return ProbabilityFromCell(0.5); });
  LabeledRows holdout = SklearnExampleRows();
  QualityGateConfig config = AucConfig();
  config.max_degradation = 0;
  GateResult result = EvaluateQualityGate(config, {&candidate, &champion, &holdout});
  EXPECT_EQ(result.verdict, GateVerdict::kPassed) << result.message;
}

TEST(QualityGateTest, ErrorNamesTheEndpointThatAnswered500) {
  FakeInferenceEndpoint candidate("v2 http://127.0.0.1:1/v2/models/m/infer", ProbabilityFromCell);
  candidate.FailWith(500, "boom");
  LabeledRows holdout = SklearnExampleRows();
  GateResult result = EvaluateQualityGate(AucConfig(), {&candidate, nullptr, &holdout});
  EXPECT_EQ(result.verdict, GateVerdict::kError);
  EXPECT_THAT(result.message, HasSubstr("http://127.0.0.1:1/v2/models/m/infer"));
  EXPECT_THAT(result.message, HasSubstr("500"));
}

TEST(QualityGateTest, SendsTheHoldoutInBatchesOfBatchSize) {
  FakeInferenceEndpoint candidate("candidate", ProbabilityFromCell);
  LabeledRows holdout = SklearnExampleRows();
  QualityGateConfig config = AucConfig();
  config.batch_size = 3;
  EvaluateQualityGate(config, {&candidate, nullptr, &holdout});
  EXPECT_EQ(candidate.largest_batch(), 3u);
  EXPECT_EQ(candidate.requests(), 2);  // the hold-out only: 3 + 1 rows
}

TEST(QualityGateTest, FailsWhenTrainHoldoutGapExceedsMaximum) {
  FakeInferenceEndpoint candidate("candidate", ProbabilityFromCell);
  LabeledRows holdout = SklearnExampleRows();
  LabeledRows training = Rows({0.1, 0.2, 0.8, 0.9}, {"0", "0", "1", "1"});  // auc 1
  QualityGateConfig config = AucConfig();
  config.max_train_holdout_gap = 0.1;
  GateResult result = EvaluateQualityGate(config, {&candidate, nullptr, &holdout, &training});
  EXPECT_EQ(result.verdict, GateVerdict::kFailed);
  EXPECT_THAT(result.metrics.at("trainHoldoutGap"), DoubleNear(0.25, 1e-12));
  EXPECT_THAT(result.message, HasSubstr("gap 0.25 > maxTrainHoldoutGap 0.1"));
}

TEST(QualityGateTest, FailsWhenTrainingHistoryShowsOverfitting) {
  FakeInferenceEndpoint candidate("candidate", ProbabilityFromCell);
  LabeledRows holdout = SklearnExampleRows();
  std::vector<EpochLoss> history = {
      {1, 0.9, 0.8}, {2, 0.7, 0.6}, {3, 0.5, 0.65}, {4, 0.4, 0.7}, {5, 0.3, 0.8}};
  QualityGateConfig config = AucConfig();
  config.patience_epochs = 3;
  GateResult result =
      EvaluateQualityGate(config, {&candidate, nullptr, &holdout, nullptr, &history});
  EXPECT_EQ(result.verdict, GateVerdict::kFailed);
  EXPECT_THAT(result.message, HasSubstr("validation loss rose for 3 epochs after epoch 2"));
}

TEST(QualityGateTest, LogLossWithoutProbabilitiesIsAnError) {
  FakeInferenceEndpoint candidate("candidate", [](double p) {
    Prediction prediction;
    prediction.value = p >= 0.5 ? 1 : 0;
    return prediction;
  });
  LabeledRows holdout = SklearnExampleRows();
  QualityGateConfig config;
  config.metric = QualityMetric::kLogLoss;
  GateResult result = EvaluateQualityGate(config, {&candidate, nullptr, &holdout});
  EXPECT_EQ(result.verdict, GateVerdict::kError);
  EXPECT_THAT(result.message, HasSubstr("logloss cannot be computed"));
}

TEST(QualityGateTest, RegressionThresholdOnRmseIsAMaximum) {
  // The model answers its input: errors 0, 0, 2 -> rmse sqrt(4/3).
  FakeInferenceEndpoint candidate("candidate", [](double x) {
    Prediction prediction;
    prediction.value = x;
    return prediction;
  });
  LabeledRows holdout = Rows({1, 2, 3}, {"1", "2", "5"});
  QualityGateConfig config;
  config.task = ModelTask::kRegression;
  config.metric = QualityMetric::kRmse;
  config.threshold = 1.0;
  GateResult result = EvaluateQualityGate(config, {&candidate, nullptr, &holdout});
  EXPECT_EQ(result.verdict, GateVerdict::kFailed);
  EXPECT_THAT(result.message, HasSubstr("rmse 1.155 > threshold 1"));
  // The mean baseline predicts 8/3 for every row.
  EXPECT_THAT(result.metrics.at("baselineRmse"), DoubleNear(1.699673171197595, 1e-9));
}

TEST(QualityGateTest, TextLabelsAreMatchedByName) {
  FakeInferenceEndpoint candidate("candidate", [](double p) {
    Prediction prediction;
    prediction.label = p >= 0.5 ? "spam" : "ham";
    prediction.probabilities = {1 - p, p};
    return prediction;
  });
  LabeledRows holdout = Rows({0.1, 0.9, 0.8}, {"ham", "spam", "spam"});
  QualityGateConfig config;
  config.metric = QualityMetric::kAccuracy;
  config.threshold = 1.0;
  GateResult result = EvaluateQualityGate(config, {&candidate, nullptr, &holdout});
  EXPECT_EQ(result.verdict, GateVerdict::kPassed) << result.message;
  EXPECT_THAT(result.metrics.at("auc"), DoubleNear(1.0, 1e-12));
}

TEST(QualityGateTest, MetricNamesFollowTheJobContract) {
  EXPECT_EQ(PrefixedMetricName("baseline", "auc"), "baselineAuc");
  EXPECT_EQ(PrefixedMetricName("champion", "logloss"), "championLogloss");
}

}  // namespace
}  // namespace modelgate::gates
