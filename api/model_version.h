// ModelVersion (modelgate.io/v1alpha1): one candidate model, the data it is judged on, how it
// is served, and the result of its CI gates. crds/modelgate.io_modelversions.yaml is the
// source of truth; ModelVersionFromJson enforces the same rules and applies the same defaults,
// so a manifest checked offline (`modelgate validate`) gets the verdict the API server gives.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/api_group.h"
#include "api/condition.h"
#include "api/gate_name.h"
#include "api/gates_spec.h"
#include "api/object_meta.h"
#include "api/status.h"
#include "api/timestamp.h"

namespace modelgate {

inline constexpr char kModelVersionKind[] = "ModelVersion";
inline constexpr char kModelVersionPlural[] = "modelversions";

enum class ArtifactFormat {
  kOnnx,
  kSklearn,
  kXgboost,
  kLightgbm,
  kMlflow,
  kSavedModel,
  kPmml,
  kPytorch,
  kCustom
};
// "onnx", "sklearn", "xgboost", "lightgbm", "mlflow", "savedmodel", "pmml", "pytorch", "custom".
const char* ToString(ArtifactFormat format);
Result<ArtifactFormat> ArtifactFormatFromString(std::string_view text);

enum class ServingProtocol { kV2, kMlflow, kTfServing };
// "v2" (Open Inference Protocol), "mlflow", "tfserving".
const char* ToString(ServingProtocol protocol);
Result<ServingProtocol> ServingProtocolFromString(std::string_view text);

enum class DatasetFormat { kCsv, kJsonl };
// "csv" or "jsonl".
const char* ToString(DatasetFormat format);
Result<DatasetFormat> DatasetFormatFromString(std::string_view text);

enum class ModelTask { kClassification, kRegression };
// "classification" or "regression".
const char* ToString(ModelTask task);
Result<ModelTask> ModelTaskFromString(std::string_view text);

enum class FeatureType { kNumeric, kCategorical, kText, kImage };
// "numeric", "categorical", "text" or "image".
const char* ToString(FeatureType type);
Result<FeatureType> FeatureTypeFromString(std::string_view text);

enum class ModelVersionPhase { kPending, kValidating, kPassed, kFailed, kError };
// "Pending", "Validating", "Passed", "Failed" or "Error".
const char* ToString(ModelVersionPhase phase);
Result<ModelVersionPhase> ModelVersionPhaseFromString(std::string_view text);

enum class GatePhase : uint8_t { kPending, kRunning, kPassed, kFailed, kError, kSkipped };
// "Pending", "Running", "Passed", "Failed", "Error" or "Skipped".
const char* ToString(GatePhase phase);
Result<GatePhase> GatePhaseFromString(std::string_view text);

// The metric the quality gate uses when spec.gates.quality.metric is absent: auc for
// classification, rmse for regression.
QualityMetric DefaultQualityMetric(ModelTask task);

struct Artifact {
  std::string uri;  // s3://, gs://, https://, http://, file:// or pvc://claim/path
  std::optional<std::string> digest;                // "sha256:" + 64 lowercase hex digits
  ArtifactFormat format = ArtifactFormat::kCustom;  // required on the wire

  bool operator==(const Artifact&) const = default;
};

struct EnvVar {
  std::string name;
  std::string value;

  bool operator==(const EnvVar&) const = default;
};

// Kubernetes resource quantities as written ("500m", "1Gi"); numbers become strings.
struct ResourceRequirements {
  std::map<std::string, std::string> requests;
  std::map<std::string, std::string> limits;

  bool operator==(const ResourceRequirements&) const = default;
};

struct Serving {
  std::string image;  // required
  int port = 8080;    // 1..65535
  ServingProtocol protocol = ServingProtocol::kV2;
  std::optional<std::string> model_name;  // see EffectiveModelName
  std::vector<std::string> args;
  std::vector<EnvVar> env;
  std::optional<ResourceRequirements> resources;
  std::optional<std::string> readiness_path;  // see EffectiveReadinessPath

  bool operator==(const Serving&) const = default;
};

struct Dataset {
  std::string uri;  // required
  DatasetFormat format = DatasetFormat::kCsv;

  bool operator==(const Dataset&) const = default;
};

// The data gate needs training and reference, the quality gate holdout; the decoder refuses
// a ModelVersion whose enabled gates lack the datasets they need.
struct Datasets {
  std::optional<Dataset> training;
  std::optional<Dataset> holdout;
  std::optional<Dataset> reference;         // a sample of production traffic
  std::optional<Dataset> training_history;  // per-epoch columns epoch, train_loss, val_loss

  bool operator==(const Datasets&) const = default;
};

struct FeatureSpec {
  std::string name;  // required, unique within the schema
  FeatureType type = FeatureType::kNumeric;
  bool nullable = false;
  std::vector<std::string> categories;  // allowed levels of a categorical feature
  std::optional<double> min;
  std::optional<double> max;

  bool operator==(const FeatureSpec&) const = default;
};

struct ModelSchema {
  ModelTask task = ModelTask::kClassification;  // required on the wire
  std::optional<std::string> target;
  std::vector<FeatureSpec> features;

  // The feature named `name`, or nullptr.
  const FeatureSpec* FindFeature(std::string_view name) const;

  bool operator==(const ModelSchema&) const = default;
};

struct ModelVersionSpec {
  std::string model;    // required, a DNS-1123 label
  std::string version;  // required
  Artifact artifact;
  Serving serving;
  Datasets datasets;
  std::optional<ModelSchema> schema;  // absent: inferred from the reference data
  GatesSpec gates;

  bool operator==(const ModelVersionSpec&) const = default;
};

// serving.modelName, or spec.model when it is absent.
std::string EffectiveModelName(const ModelVersionSpec& spec);

// serving.readinessPath, or the protocol's health path: "/v2/health/ready" for v2, "/ping"
// for mlflow, "/v1/models/<EffectiveModelName>" for tfserving.
std::string EffectiveReadinessPath(const ModelVersionSpec& spec);

// The result of one gate, as the operator records it.
struct GateStatus {
  GateName name = GateName::kData;
  GatePhase phase = GatePhase::kPending;
  std::string job;  // the validation Job's name, empty before one exists
  int attempts = 0;
  std::optional<Timestamp> started_at;
  std::optional<Timestamp> finished_at;
  std::map<std::string, double> metrics;  // e.g. "auc" -> 0.91, "p99Ms" -> 42
  std::string message;

  bool operator==(const GateStatus&) const = default;
};

struct ModelVersionStatus {
  std::optional<ModelVersionPhase> phase;  // absent until the operator first reconciles
  int64_t observed_generation = 0;
  std::vector<Condition> conditions;
  std::vector<GateStatus> gates;  // at most one per gate name
  std::string gates_passed;       // "3/4", for the printer column
  std::string validated_digest;
  std::optional<Timestamp> validated_at;

  // The status of `gate`, or nullptr when it has none.
  const GateStatus* FindGate(GateName gate) const;
  GateStatus* FindGate(GateName gate);

  bool operator==(const ModelVersionStatus&) const = default;
};

struct ModelVersion {
  ObjectMeta metadata;
  ModelVersionSpec spec;
  ModelVersionStatus status;

  bool operator==(const ModelVersion&) const = default;
};

// Decodes a whole ModelVersion object (apiVersion, kind, metadata, spec, status), validating
// spec like the CRD's OpenAPI schema and CEL rules do and applying the CRD's defaults.
// apiVersion and kind, when present, must be modelgate.io/v1alpha1 and ModelVersion.
// Returns InvalidArgument whose message starts with the offending field path and says what
// was expected and what was found, e.g.
// "spec.gates.data.maxDriftShare: must be between 0 and 1, got 1.5".
Result<ModelVersion> ModelVersionFromJson(const nlohmann::json& json,
                                          const DecodeOptions& options = {});

// Decodes just a spec; `path` prefixes errors (normally "spec").
Result<ModelVersionSpec> ModelVersionSpecFromJson(const nlohmann::json& json,
                                                  const std::string& path = "spec",
                                                  const DecodeOptions& options = {});

// Decodes just a status; `path` prefixes errors (normally "status").
Result<ModelVersionStatus> ModelVersionStatusFromJson(const nlohmann::json& json,
                                                      const std::string& path = "status");

// Checks the rule the CRD enforces on updates: spec.artifact may not change.
// Returns InvalidArgument "spec.artifact: spec.artifact is immutable: create a new
// ModelVersion" when it did.
Status ValidateModelVersionUpdate(const ModelVersion& old_object, const ModelVersion& new_object);

// Encodes `mv` with apiVersion and kind; ModelVersionFromJson(ToJson(mv)) == mv. Defaulted
// fields are written out explicitly, as the API server stores them.
nlohmann::json ToJson(const ModelVersion& mv);
nlohmann::json ToJson(const ModelVersionSpec& spec);
nlohmann::json ToJson(const ModelVersionStatus& status);
nlohmann::json ToJson(const GateStatus& gate);

}  // namespace modelgate
