#include "api/model_version.h"

#include <gtest/gtest.h>

#include <string>

namespace modelgate {
namespace {

using nlohmann::json;

json Minimal() {
  return json::parse(R"({
    "apiVersion": "modelgate.io/v1alpha1",
    "kind": "ModelVersion",
    "metadata": {"name": "fraud-1", "namespace": "ml", "generation": 2},
    "spec": {
      "model": "fraud",
      "version": "1.0.0",
      "artifact": {"uri": "s3://models/fraud/1/model.joblib", "format": "sklearn"},
      "serving": {"image": "modelgate/mlserver-sklearn:1.0"},
      "datasets": {
        "training": {"uri": "s3://data/train.csv"},
        "holdout": {"uri": "s3://data/holdout.csv"},
        "reference": {"uri": "s3://data/reference.csv"}
      }
    }
  })");
}

ModelVersion Decode(const json& j) {
  auto mv = ModelVersionFromJson(j);
  EXPECT_TRUE(mv.ok()) << mv.status().ToString();
  return mv.ok() ? *mv : ModelVersion{};
}

TEST(ModelVersionTest, DecodesMinimalManifest) {
  ModelVersion mv = Decode(Minimal());
  EXPECT_EQ(mv.metadata.name, "fraud-1");
  EXPECT_EQ(mv.metadata.namespace_, "ml");
  EXPECT_EQ(mv.spec.model, "fraud");
  EXPECT_EQ(mv.spec.artifact.format, ArtifactFormat::kSklearn);
  EXPECT_FALSE(mv.spec.artifact.digest.has_value());
}

TEST(ModelVersionTest, AppliesCrdDefaults) {
  ModelVersion mv = Decode(Minimal());
  EXPECT_EQ(mv.spec.serving.port, 8080);
  EXPECT_EQ(mv.spec.serving.protocol, ServingProtocol::kV2);
  EXPECT_EQ(mv.spec.datasets.training->format, DatasetFormat::kCsv);
  const GatesSpec& g = mv.spec.gates;
  EXPECT_FALSE(g.run_all);
  for (GateName gate : kAllGates) {
    EXPECT_TRUE(GateSettings(g, gate).enabled) << ToString(gate);
    EXPECT_EQ(GateSettings(g, gate).timeout_seconds, 600) << ToString(gate);
  }
  EXPECT_EQ(g.data.max_drift_share, 0.5);
  EXPECT_EQ(g.data.method, DriftMethod::kAuto);
  EXPECT_TRUE(g.data.fail_on_unseen_categories);
  EXPECT_FALSE(g.data.fail_on_out_of_range);
  EXPECT_EQ(g.quality.batch_size, 64);
  EXPECT_EQ(g.quality.baseline_margin, 0);
  EXPECT_EQ(g.quality.overfitting.patience_epochs, 3);
  EXPECT_EQ(g.robustness.request_timeout_seconds, 10);
  EXPECT_EQ(g.robustness.max_failures, 0);
  EXPECT_EQ(g.stress.mode, StressMode::kClosed);
  EXPECT_EQ(g.stress.concurrency, 4);
  EXPECT_EQ(g.stress.duration_seconds, 30);
  EXPECT_EQ(g.stress.warmup_seconds, 5);
  EXPECT_EQ(g.stress.max_error_rate, 0.01);
}

TEST(ModelVersionTest, UseTimeDefaultsFollowProtocolAndTask) {
  ModelVersion mv = Decode(Minimal());
  EXPECT_EQ(EffectiveModelName(mv.spec), "fraud");
  EXPECT_EQ(EffectiveReadinessPath(mv.spec), "/v2/health/ready");
  mv.spec.serving.protocol = ServingProtocol::kMlflow;
  EXPECT_EQ(EffectiveReadinessPath(mv.spec), "/ping");
  mv.spec.serving.protocol = ServingProtocol::kTfServing;
  mv.spec.serving.model_name = "fraud_tf";
  EXPECT_EQ(EffectiveReadinessPath(mv.spec), "/v1/models/fraud_tf");
  EXPECT_EQ(DefaultQualityMetric(ModelTask::kClassification), QualityMetric::kAuc);
  EXPECT_EQ(DefaultQualityMetric(ModelTask::kRegression), QualityMetric::kRmse);
  EXPECT_FALSE(HigherIsBetter(QualityMetric::kRmse));
  EXPECT_TRUE(HigherIsBetter(QualityMetric::kR2));
  EXPECT_EQ(DefaultDriftThreshold(DriftMethod::kKs), 0.05);
  EXPECT_EQ(DefaultDriftThreshold(DriftMethod::kPsi), 0.1);
}

ModelVersion Full() {
  ModelVersion mv = Decode(Minimal());
  mv.metadata.uid = "0f1e";
  mv.metadata.labels = {{"team", "risk"}};
  mv.metadata.creation_timestamp = Timestamp(std::chrono::seconds(1'750'000'000));
  mv.spec.artifact.digest = "sha256:" + std::string(64, 'a');
  mv.spec.serving.args = {"--debug"};
  mv.spec.serving.env = {{"MLSERVER_MODELS_DIR", "/models"}};
  mv.spec.serving.resources = ResourceRequirements{{{"cpu", "500m"}}, {{"memory", "1Gi"}}};
  mv.spec.serving.readiness_path = "/ready";
  mv.spec.datasets.training_history = Dataset{"s3://data/history.jsonl", DatasetFormat::kJsonl};
  mv.spec.schema = ModelSchema{ModelTask::kClassification,
                               "is_fraud",
                               {FeatureSpec{"amount", FeatureType::kNumeric, true, {}, 0.0, 1e6},
                                FeatureSpec{"channel",
                                            FeatureType::kCategorical,
                                            false,
                                            {"web", "app"},
                                            std::nullopt,
                                            std::nullopt}}};
  GatesSpec& g = mv.spec.gates;
  g.run_all = true;
  g.data.threshold = 0.2;
  g.data.columns = {ColumnDrift{"amount", DriftMethod::kPsi, 0.25}};
  g.data.max_null_rate = 0.1;
  g.quality.metric = QualityMetric::kF1;
  g.quality.threshold = 0.7;
  g.quality.champion = ChampionComparison{"fraud-0", 0.01, 0.02};
  g.quality.positive_class = "1";
  g.quality.overfitting.max_train_holdout_gap = 0.05;
  g.robustness.cases = RobustnessCases{"s3://data/cases.jsonl", "jsonl"};
  g.stress.mode = StressMode::kOpen;
  g.stress.rate = 25.5;
  g.stress.max_p99_ms = 250;
  g.stress.compare_to = LatencyComparison{"fraud-0", 1.5};
  mv.status.phase = ModelVersionPhase::kFailed;
  mv.status.observed_generation = 2;
  mv.status.conditions = {Condition{kConditionReady, ConditionStatus::kFalse, 2,
                                    Timestamp(std::chrono::seconds(1'750'000'100)),
                                    "QualityBelowThreshold", "auc 0.71 < 0.8"}};
  mv.status.gates = {GateStatus{GateName::kQuality,
                                GatePhase::kFailed,
                                "fraud-1-quality-2",
                                1,
                                Timestamp(std::chrono::seconds(1'750'000'010)),
                                Timestamp(std::chrono::seconds(1'750'000'090)),
                                {{"auc", 0.71}, {"rows", 500}},
                                "auc 0.71 below threshold 0.8"}};
  mv.status.gates_passed = "1/4";
  mv.status.validated_digest = *mv.spec.artifact.digest;
  return mv;
}

TEST(ModelVersionTest, EveryFieldRoundTripsThroughJson) {
  ModelVersion mv = Full();
  auto back = ModelVersionFromJson(ToJson(mv));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, mv);
}

TEST(ModelVersionTest, EncodingIsStable) {
  json once = ToJson(Full());
  EXPECT_EQ(ToJson(Decode(once)), once);
}

TEST(ModelVersionTest, QuantitiesMayBeNumbers) {
  json j = Minimal();
  j["spec"]["serving"]["resources"] = {{"requests", {{"cpu", 2}}}};
  EXPECT_EQ(Decode(j).spec.serving.resources->requests.at("cpu"), "2");
}

TEST(ModelVersionTest, StatusFindsGateByName) {
  ModelVersion mv = Full();
  ASSERT_NE(mv.status.FindGate(GateName::kQuality), nullptr);
  EXPECT_EQ(mv.status.FindGate(GateName::kQuality)->metrics.at("auc"), 0.71);
  EXPECT_EQ(mv.status.FindGate(GateName::kStress), nullptr);
}

TEST(ModelVersionTest, ArtifactChangeIsRefusedOnUpdate) {
  ModelVersion old_mv = Decode(Minimal());
  ModelVersion new_mv = old_mv;
  new_mv.spec.gates.stress.concurrency = 8;
  EXPECT_TRUE(ValidateModelVersionUpdate(old_mv, new_mv).ok());
  new_mv.spec.artifact.uri = "s3://models/fraud/2/model.joblib";
  Status s = ValidateModelVersionUpdate(old_mv, new_mv);
  EXPECT_EQ(s.message(), "spec.artifact: spec.artifact is immutable: create a new ModelVersion");
}

TEST(ModelVersionTest, UnknownFieldsDroppedByDefaultAndRefusedWhenStrict) {
  json j = Minimal();
  j["spec"]["gates"] = {{"quality", {{"treshold", 0.8}}}};
  EXPECT_TRUE(ModelVersionFromJson(j).ok());
  auto strict = ModelVersionFromJson(j, DecodeOptions{.reject_unknown_fields = true});
  ASSERT_FALSE(strict.ok());
  EXPECT_EQ(strict.status().message(), "spec.gates.quality.treshold: unknown field");
}

TEST(ModelVersionTest, DisabledGatesNeedNoDatasets) {
  json j = Minimal();
  j["spec"].erase("datasets");
  j["spec"]["gates"] = {{"data", {{"enabled", false}}}, {"quality", {{"enabled", false}}}};
  EXPECT_TRUE(ModelVersionFromJson(j).ok());
}

// One refused manifest: a change to Minimal() and the error it must produce.
struct Refusal {
  const char* name;
  const char* pointer;  // JSON pointer into the manifest
  json value;           // null removes the field
  std::string message;  // the whole error message
};

void PrintTo(const Refusal& r, std::ostream* os) { *os << r.name; }

class ModelVersionRefusalTest : public ::testing::TestWithParam<Refusal> {};

TEST_P(ModelVersionRefusalTest, ErrorNamesTheField) {
  const Refusal& r = GetParam();
  json j = Minimal();
  json::json_pointer ptr(r.pointer);
  if (r.value.is_null()) {
    j[ptr.parent_pointer()].erase(ptr.back());
  } else {
    j[ptr] = r.value;
  }
  auto mv = ModelVersionFromJson(j);
  ASSERT_FALSE(mv.ok());
  EXPECT_EQ(mv.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(mv.status().message(), r.message);
}

const Refusal kRefusals[] = {
    {"DriftShareAboveOne", "/spec/gates/data/maxDriftShare", 1.5,
     "spec.gates.data.maxDriftShare: must be between 0 and 1, got 1.5"},
    {"BadDigest", "/spec/artifact/digest", "sha256:1234",
     "spec.artifact.digest: must be sha256: followed by 64 lowercase hex digits, got "
     "\"sha256:1234\""},
    {"UppercaseDigest", "/spec/artifact/digest", "sha256:" + std::string(64, 'A'),
     "spec.artifact.digest: must be sha256: followed by 64 lowercase hex digits, got \"sha256:" +
         std::string(64, 'A') + "\""},
    {"MissingModel", "/spec/model", nullptr, "spec.model: Required value"},
    {"ModelNotALabel", "/spec/model", "Fraud_Model",
     "spec.model: must be a DNS-1123 label (lowercase letters, digits and '-', at most 63 "
     "characters), got \"Fraud_Model\""},
    {"MissingArtifact", "/spec/artifact", nullptr, "spec.artifact: Required value"},
    {"UnknownScheme", "/spec/artifact/uri", "ftp://host/model",
     "spec.artifact.uri: must be a URI starting with s3://, gs://, https://, http://, file:// or "
     "pvc://<claim>/<path>, got \"ftp://host/model\""},
    {"UnknownFormat", "/spec/artifact/format", "keras",
     "spec.artifact.format: must be one of onnx, sklearn, xgboost, lightgbm, mlflow, savedmodel, "
     "pmml, pytorch, custom, got \"keras\""},
    {"PortZero", "/spec/serving/port", 0, "spec.serving.port: must be between 1 and 65535, got 0"},
    {"PortNotANumber", "/spec/serving/port", "http",
     "spec.serving.port: must be an integer, got \"http\""},
    {"UnknownProtocol", "/spec/serving/protocol", "grpc",
     "spec.serving.protocol: must be one of v2, mlflow, tfserving, got \"grpc\""},
    {"EnvWithoutName", "/spec/serving/env", json::array({{{"value", "x"}}}),
     "spec.serving.env[0].name: Required value"},
    {"DatasetFormat", "/spec/datasets/holdout/format", "parquet",
     "spec.datasets.holdout.format: must be one of csv, jsonl, got \"parquet\""},
    {"DataGateWithoutReference", "/spec/datasets/reference", nullptr,
     "spec.datasets.reference: Required value: the data gate needs datasets.training and "
     "datasets.reference (or set gates.data.enabled: false)"},
    {"QualityGateWithoutHoldout", "/spec/datasets/holdout", nullptr,
     "spec.datasets.holdout: Required value: the quality gate needs datasets.holdout (or set "
     "gates.quality.enabled: false)"},
    {"SchemaWithoutTask", "/spec/schema", json{{"target", "y"}},
     "spec.schema.task: Required value"},
    {"DuplicateFeature", "/spec/schema",
     json{{"task", "regression"}, {"features", {{{"name", "a"}}, {{"name", "a"}}}}},
     "spec.schema.features[1].name: Duplicate value: \"a\""},
    {"FeatureMinAboveMax", "/spec/schema",
     json{{"task", "regression"}, {"features", {{{"name", "a"}, {"min", 2}, {"max", 1}}}}},
     "spec.schema.features[0].min: must not be greater than max"},
    {"TimeoutZero", "/spec/gates/quality/timeoutSeconds", 0,
     "spec.gates.quality.timeoutSeconds: must be at least 1, got 0"},
    {"NegativeThreshold", "/spec/gates/data/threshold", -0.1,
     "spec.gates.data.threshold: must be greater than 0, got -0.1"},
    {"UnknownDriftMethod", "/spec/gates/data/method", "kl",
     "spec.gates.data.method: must be one of auto, psi, ks, chisquare, jensenshannon, "
     "wasserstein, got \"kl\""},
    {"UnknownMetric", "/spec/gates/quality/metric", "mape",
     "spec.gates.quality.metric: must be one of auc, accuracy, f1, precision, recall, logloss, "
     "rmse, mae, r2, got \"mape\""},
    {"ChampionWithoutName", "/spec/gates/quality/champion", json{{"maxDegradation", 0.1}},
     "spec.gates.quality.champion.modelVersion: Required value"},
    {"RelativeDegradationAboveOne", "/spec/gates/quality/champion",
     json{{"modelVersion", "fraud-0"}, {"maxRelativeDegradation", 2}},
     "spec.gates.quality.champion.maxRelativeDegradation: must be between 0 and 1, got 2"},
    {"NegativeMaxFailures", "/spec/gates/robustness/maxFailures", -1,
     "spec.gates.robustness.maxFailures: must be at least 0, got -1"},
    {"OpenModeWithoutRate", "/spec/gates/stress/mode", "open",
     "spec.gates.stress.rate: Required value: rate is required when mode is open"},
    {"ErrorRateAboveOne", "/spec/gates/stress/maxErrorRate", 1.01,
     "spec.gates.stress.maxErrorRate: must be between 0 and 1, got 1.01"},
    {"ZeroP99Budget", "/spec/gates/stress/maxP99Ms", 0,
     "spec.gates.stress.maxP99Ms: must be greater than 0, got 0"},
    {"EnabledNotABoolean", "/spec/gates/stress/enabled", "yes",
     "spec.gates.stress.enabled: must be a boolean, got \"yes\""},
    {"WrongKind", "/kind", "Model", "kind: must be ModelVersion, got \"Model\""},
    {"MissingSpec", "/spec", nullptr, "spec: Required value"},
    {"BadCreationTimestamp", "/metadata/creationTimestamp", "last tuesday",
     "metadata.creationTimestamp: must be an RFC 3339 date-time such as 2026-01-02T15:04:05Z, "
     "got \"last tuesday\""},
    {"BadGatePhase", "/status", json{{"gates", {{{"name", "data"}, {"phase", "Done"}}}}},
     "status.gates[0].phase: must be one of Pending, Running, Passed, Failed, Error, Skipped, got "
     "\"Done\""},
};

INSTANTIATE_TEST_SUITE_P(Fields, ModelVersionRefusalTest, ::testing::ValuesIn(kRefusals),
                         [](const auto& test_info) { return std::string(test_info.param.name); });

}  // namespace
}  // namespace modelgate
