#include "gates/data_gate.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "gates/csv_reader.h"

namespace modelgate::gates {
namespace {

// A CSV with a numeric column x (evenly spread over [shift, shift+1)), a categorical column
// color cycling through `colors`, and a binary column flag.
std::string MakeCsv(int rows, double shift, const std::vector<std::string>& colors,
                    int null_every = 0) {
  std::string text = "x,color,flag\n";
  for (int i = 0; i < rows; ++i) {
    const double x = shift + std::fmod((i + 1) * 0.6180339887498949, 1.0);
    const bool null_x = null_every > 0 && i % null_every == 0;
    text += (null_x ? std::string() : std::to_string(x)) + "," + colors[i % colors.size()] + "," +
            (i % 3 == 0 ? "1" : "0") + "\n";
  }
  return text;
}

DatasetProfile Profile(const std::string& csv, const std::string& name,
                       const ProfileOptions& options = {}) {
  auto reader = CsvReader::Open(MemoryByteSource(csv, name));
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  auto profile = ProfileDataset(**reader, name, options);
  EXPECT_TRUE(profile.ok()) << profile.status().ToString();
  return *profile;
}

const nlohmann::json* DriftOf(const GateResult& result, const std::string& column) {
  for (const auto& d : result.details["drift"]) {
    if (d["column"] == column) return &d;
  }
  return nullptr;
}

const std::vector<std::string> kColors = {"red", "green", "blue"};

TEST(DataGateTest, PassesWhenTrainingMatchesReference) {
  GateResult r = EvaluateDataGate(Profile(MakeCsv(300, 0, kColors), "ref.csv"),
                                  Profile(MakeCsv(200, 0, kColors), "train.csv"), {});
  EXPECT_EQ(r.verdict, GateVerdict::kPassed) << r.message;
  EXPECT_EQ(r.metrics.at("drift_share"), 0);
  EXPECT_EQ(r.metrics.at("checked_features"), 3);
}

TEST(DataGateTest, UsesEvidentlyDefaultMethodsForSmallReference) {
  GateResult r = EvaluateDataGate(Profile(MakeCsv(300, 0, kColors), "ref.csv"),
                                  Profile(MakeCsv(200, 0, kColors), "train.csv"), {});
  EXPECT_EQ((*DriftOf(r, "x"))["method"], "ks");
  EXPECT_EQ((*DriftOf(r, "color"))["method"], "chisquare");
  EXPECT_EQ((*DriftOf(r, "flag"))["method"], "z");
}

TEST(DataGateTest, UsesEvidentlyDefaultMethodsForLargeReference) {
  GateResult r = EvaluateDataGate(Profile(MakeCsv(1500, 0, kColors), "ref.csv"),
                                  Profile(MakeCsv(200, 0, kColors), "train.csv"), {});
  EXPECT_EQ((*DriftOf(r, "x"))["method"], "wasserstein");
  EXPECT_EQ((*DriftOf(r, "color"))["method"], "jensenshannon");
  EXPECT_EQ((*DriftOf(r, "flag"))["method"], "jensenshannon");
}

TEST(DataGateTest, FailsWhenShareOfDriftedFeaturesExceedsMaximum) {
  DataGateConfig config;
  config.max_drift_share = 0.3;
  GateResult r = EvaluateDataGate(Profile(MakeCsv(300, 0, kColors), "ref.csv"),
                                  Profile(MakeCsv(200, 0.5, kColors), "train.csv"), config);
  EXPECT_EQ(r.verdict, GateVerdict::kFailed);
  EXPECT_TRUE((*DriftOf(r, "x"))["drifted"].get<bool>());
  EXPECT_NEAR(r.metrics.at("drift_share"), 1.0 / 3, 1e-12);
  EXPECT_NE(r.message.find("1 of 3 features drifted"), std::string::npos) << r.message;
}

TEST(DataGateTest, PassesWhenDriftedShareIsAtMostMaximum) {
  GateResult r = EvaluateDataGate(Profile(MakeCsv(300, 0, kColors), "ref.csv"),
                                  Profile(MakeCsv(200, 0.5, kColors), "train.csv"), {});
  EXPECT_EQ(r.verdict, GateVerdict::kPassed) << r.message;
}

TEST(DataGateTest, FailsOnMissingColumn) {
  GateResult r = EvaluateDataGate(Profile(MakeCsv(50, 0, kColors), "ref.csv"),
                                  Profile("x,flag\n1,0\n2,1\n", "train.csv"), {});
  EXPECT_EQ(r.verdict, GateVerdict::kFailed);
  EXPECT_NE(r.message.find("training data train.csv has no column \"color\""), std::string::npos)
      << r.message;
  EXPECT_EQ(r.metrics.at("missing_columns"), 1);
}

TEST(DataGateTest, FailsOnTypeMismatchNamingFileAndLine) {
  GateResult r = EvaluateDataGate(Profile(MakeCsv(50, 0, kColors), "ref.csv"),
                                  Profile("x,color,flag\n0.5,red,1\nabc,red,0\n", "train.csv"), {});
  EXPECT_EQ(r.verdict, GateVerdict::kFailed);
  EXPECT_NE(r.message.find("first \"abc\" at train.csv:3"), std::string::npos) << r.message;
}

TEST(DataGateTest, ReportsNewColumnsWithoutFailingByDefault) {
  std::string train = "x,color,flag,extra\n";
  for (int i = 0; i < 50; ++i)
    train += std::to_string(std::fmod((i + 1) * 0.618, 1.0)) + ",red,1,7\n";
  DataGateConfig config;
  config.max_drift_share = 1;
  config.fail_on_unseen_categories = false;
  GateResult r = EvaluateDataGate(Profile(MakeCsv(50, 0, kColors), "ref.csv"),
                                  Profile(train, "train.csv"), config);
  EXPECT_EQ(r.verdict, GateVerdict::kPassed) << r.message;
  config.fail_on_new_columns = true;
  r = EvaluateDataGate(Profile(MakeCsv(50, 0, kColors), "ref.csv"), Profile(train, "train.csv"),
                       config);
  EXPECT_EQ(r.verdict, GateVerdict::kFailed);
}

TEST(DataGateTest, FailsWhenNullRateExceedsMaximum) {
  DataGateConfig config;
  config.max_null_rate = 0.1;
  GateResult r = EvaluateDataGate(Profile(MakeCsv(100, 0, kColors), "ref.csv"),
                                  Profile(MakeCsv(100, 0, kColors, 4), "train.csv"), config);
  EXPECT_EQ(r.verdict, GateVerdict::kFailed);
  EXPECT_DOUBLE_EQ(r.metrics.at("null_rate.x"), 0.25);
  EXPECT_NE(r.message.find("\"x\" null rate 0.25 exceeds 0.1"), std::string::npos) << r.message;
}

TEST(DataGateTest, FailsWhenNullRateRisesAboveReference) {
  DataGateConfig config;
  config.max_null_rate_increase = 0.05;
  GateResult r = EvaluateDataGate(Profile(MakeCsv(100, 0, kColors, 10), "ref.csv"),
                                  Profile(MakeCsv(100, 0, kColors, 4), "train.csv"), config);
  EXPECT_EQ(r.verdict, GateVerdict::kFailed);
}

TEST(DataGateTest, FailsOnNullInFeatureDeclaredNotNullable) {
  DataGateConfig config;
  config.features = {{.name = "x", .kind = FeatureRule::Kind::kNumeric, .nullable = false}};
  GateResult r = EvaluateDataGate(Profile(MakeCsv(100, 0, kColors), "ref.csv"),
                                  Profile(MakeCsv(100, 0, kColors, 50), "train.csv"), config);
  EXPECT_EQ(r.verdict, GateVerdict::kFailed);
  EXPECT_NE(r.message.find("not nullable"), std::string::npos) << r.message;
}

TEST(DataGateTest, FailsOnUnseenCategory) {
  GateResult r =
      EvaluateDataGate(Profile(MakeCsv(100, 0, kColors), "ref.csv"),
                       Profile(MakeCsv(100, 0, {"red", "green", "blue", "mauve"}), "t.csv"), {});
  EXPECT_EQ(r.verdict, GateVerdict::kFailed);
  EXPECT_NE(r.message.find("1 unseen category: \"mauve\""), std::string::npos) << r.message;
}

TEST(DataGateTest, ChecksDeclaredCategoriesInsteadOfReference) {
  DataGateConfig config;
  config.features = {{.name = "color",
                      .kind = FeatureRule::Kind::kCategorical,
                      .categories = {"red", "green", "blue", "mauve"}}};
  config.max_drift_share = 1;  // the new mix of colours drifts; only categories matter here
  GateResult r = EvaluateDataGate(Profile(MakeCsv(100, 0, kColors), "ref.csv"),
                                  Profile(MakeCsv(100, 0, {"red", "mauve"}), "t.csv"), config);
  EXPECT_EQ(r.verdict, GateVerdict::kPassed) << r.message;
  for (const auto& f : r.details["findings"]) {
    if (f["check"] == "categories") {
      EXPECT_EQ(f["severity"], "info") << f.dump();
    }
  }
}

TEST(DataGateTest, ReportsOutOfRangeAndFailsOnlyWhenAsked) {
  DataGateConfig config;
  config.max_drift_share = 1;
  GateResult r = EvaluateDataGate(Profile(MakeCsv(100, 0, kColors), "ref.csv"),
                                  Profile(MakeCsv(100, 0.5, kColors), "t.csv"), config);
  EXPECT_EQ(r.verdict, GateVerdict::kPassed) << r.message;
  config.fail_on_out_of_range = true;
  r = EvaluateDataGate(Profile(MakeCsv(100, 0, kColors), "ref.csv"),
                       Profile(MakeCsv(100, 0.5, kColors), "t.csv"), config);
  EXPECT_EQ(r.verdict, GateVerdict::kFailed);
  EXPECT_NE(r.message.find("outside the reference's range"), std::string::npos) << r.message;
}

TEST(DataGateTest, ErrorVerdictWhenMethodDoesNotFitColumn) {
  DataGateConfig config;
  config.column_drift["color"] = {.method = DriftMethod::kKs};
  GateResult r = EvaluateDataGate(Profile(MakeCsv(100, 0, kColors), "ref.csv"),
                                  Profile(MakeCsv(100, 0, kColors), "t.csv"), config);
  EXPECT_EQ(r.verdict, GateVerdict::kError);
  EXPECT_NE(r.message.find("drift method ks needs a numeric column"), std::string::npos);
}

TEST(DataGateTest, AppliesConfiguredMethodAndThreshold) {
  DataGateConfig config;
  config.method = DriftMethod::kPsi;
  config.threshold = 0.5;
  GateResult r = EvaluateDataGate(Profile(MakeCsv(300, 0, kColors), "ref.csv"),
                                  Profile(MakeCsv(200, 0, kColors), "t.csv"), config);
  EXPECT_EQ((*DriftOf(r, "x"))["method"], "psi");
  EXPECT_EQ((*DriftOf(r, "color"))["threshold"], 0.5);
}

TEST(DataGateTest, StreamingModeSketchesLargeColumnsAndStillDetectsDrift) {
  ProfileOptions options;
  options.exact_value_limit = 1000;
  DataGateConfig config;
  config.max_drift_share = 0.3;
  GateResult r = EvaluateDataGate(Profile(MakeCsv(20000, 0, kColors), "ref.csv", options),
                                  Profile(MakeCsv(20000, 0.2, kColors), "t.csv", options), config);
  EXPECT_TRUE((*DriftOf(r, "x"))["sketched"].get<bool>());
  EXPECT_TRUE((*DriftOf(r, "x"))["drifted"].get<bool>());
  EXPECT_NEAR(r.metrics.at("drift_score.x"), 0.2 / std::sqrt(1.0 / 12), 0.01);
}

TEST(DataGateTest, UnreadableDatasetGivesErrorNamingFileLineAndColumn) {
  auto ref = CsvReader::Open(MemoryByteSource(MakeCsv(10, 0, kColors), "ref.csv"));
  auto train = CsvReader::Open(MemoryByteSource("x,color,flag\n1,red\n", "train.csv"));
  ASSERT_TRUE(ref.ok() && train.ok());
  GateResult r = RunDataGate(**ref, "ref.csv", **train, "train.csv", {});
  EXPECT_EQ(r.verdict, GateVerdict::kError);
  EXPECT_EQ(r.message, "train.csv:2:6: row has 2 fields, the header has 3");
}

TEST(DataGateTest, ExcludedColumnsAreNotJudged) {
  DataGateConfig config;
  config.excluded_columns = {"x"};
  GateResult r = EvaluateDataGate(Profile(MakeCsv(300, 0, kColors), "ref.csv"),
                                  Profile(MakeCsv(200, 5, kColors), "t.csv"), config);
  EXPECT_EQ(DriftOf(r, "x"), nullptr);
  EXPECT_EQ(r.verdict, GateVerdict::kPassed) << r.message;
}

}  // namespace
}  // namespace modelgate::gates
