#include "api/model_version.h"

#include "api/enum_names.h"

namespace modelgate {
namespace {

using api_internal::EnumName;

constexpr EnumName<ArtifactFormat> kArtifactFormatNames[] = {
    {ArtifactFormat::kOnnx, "onnx"},       {ArtifactFormat::kSklearn, "sklearn"},
    {ArtifactFormat::kXgboost, "xgboost"}, {ArtifactFormat::kLightgbm, "lightgbm"},
    {ArtifactFormat::kMlflow, "mlflow"},   {ArtifactFormat::kSavedModel, "savedmodel"},
    {ArtifactFormat::kPmml, "pmml"},       {ArtifactFormat::kPytorch, "pytorch"},
    {ArtifactFormat::kCustom, "custom"},
};

constexpr EnumName<ServingProtocol> kServingProtocolNames[] = {
    {ServingProtocol::kV2, "v2"},
    {ServingProtocol::kMlflow, "mlflow"},
    {ServingProtocol::kTfServing, "tfserving"},
};

constexpr EnumName<DatasetFormat> kDatasetFormatNames[] = {
    {DatasetFormat::kCsv, "csv"},
    {DatasetFormat::kJsonl, "jsonl"},
};

constexpr EnumName<ModelTask> kModelTaskNames[] = {
    {ModelTask::kClassification, "classification"},
    {ModelTask::kRegression, "regression"},
};

constexpr EnumName<FeatureType> kFeatureTypeNames[] = {
    {FeatureType::kNumeric, "numeric"},
    {FeatureType::kCategorical, "categorical"},
    {FeatureType::kText, "text"},
    {FeatureType::kImage, "image"},
};

constexpr EnumName<ModelVersionPhase> kModelVersionPhaseNames[] = {
    {ModelVersionPhase::kPending, "Pending"}, {ModelVersionPhase::kValidating, "Validating"},
    {ModelVersionPhase::kPassed, "Passed"},   {ModelVersionPhase::kFailed, "Failed"},
    {ModelVersionPhase::kError, "Error"},
};

constexpr EnumName<GatePhase> kGatePhaseNames[] = {
    {GatePhase::kPending, "Pending"}, {GatePhase::kRunning, "Running"},
    {GatePhase::kPassed, "Passed"},   {GatePhase::kFailed, "Failed"},
    {GatePhase::kError, "Error"},     {GatePhase::kSkipped, "Skipped"},
};

}  // namespace

const char* ToString(ArtifactFormat v) { return api_internal::NameOf(kArtifactFormatNames, v); }
Result<ArtifactFormat> ArtifactFormatFromString(std::string_view text) {
  return api_internal::ParseName(kArtifactFormatNames, text);
}
const char* ToString(ServingProtocol v) { return api_internal::NameOf(kServingProtocolNames, v); }
Result<ServingProtocol> ServingProtocolFromString(std::string_view text) {
  return api_internal::ParseName(kServingProtocolNames, text);
}
const char* ToString(DatasetFormat v) { return api_internal::NameOf(kDatasetFormatNames, v); }
Result<DatasetFormat> DatasetFormatFromString(std::string_view text) {
  return api_internal::ParseName(kDatasetFormatNames, text);
}
const char* ToString(ModelTask v) { return api_internal::NameOf(kModelTaskNames, v); }
Result<ModelTask> ModelTaskFromString(std::string_view text) {
  return api_internal::ParseName(kModelTaskNames, text);
}
const char* ToString(FeatureType v) { return api_internal::NameOf(kFeatureTypeNames, v); }
Result<FeatureType> FeatureTypeFromString(std::string_view text) {
  return api_internal::ParseName(kFeatureTypeNames, text);
}
const char* ToString(ModelVersionPhase v) {
  return api_internal::NameOf(kModelVersionPhaseNames, v);
}
Result<ModelVersionPhase> ModelVersionPhaseFromString(std::string_view text) {
  return api_internal::ParseName(kModelVersionPhaseNames, text);
}
const char* ToString(GatePhase v) { return api_internal::NameOf(kGatePhaseNames, v); }
Result<GatePhase> GatePhaseFromString(std::string_view text) {
  return api_internal::ParseName(kGatePhaseNames, text);
}

QualityMetric DefaultQualityMetric(ModelTask task) {
  return task == ModelTask::kRegression ? QualityMetric::kRmse : QualityMetric::kAuc;
}

const FeatureSpec* ModelSchema::FindFeature(std::string_view name) const {
  for (const auto& f : features) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

std::string EffectiveModelName(const ModelVersionSpec& spec) {
  return spec.serving.model_name.value_or(spec.model);
}

std::string EffectiveReadinessPath(const ModelVersionSpec& spec) {
  if (spec.serving.readiness_path) return *spec.serving.readiness_path;
  switch (spec.serving.protocol) {
    case ServingProtocol::kV2:
      return "/v2/health/ready";
    case ServingProtocol::kMlflow:
      return "/ping";
    case ServingProtocol::kTfServing:
      return "/v1/models/" + EffectiveModelName(spec);
  }
  return "/";
}

const GateStatus* ModelVersionStatus::FindGate(GateName gate) const {
  for (const auto& g : gates) {
    if (g.name == gate) return &g;
  }
  return nullptr;
}

GateStatus* ModelVersionStatus::FindGate(GateName gate) {
  for (auto& g : gates) {
    if (g.name == gate) return &g;
  }
  return nullptr;
}

Status ValidateModelVersionUpdate(const ModelVersion& old_object, const ModelVersion& new_object) {
  if (old_object.spec.artifact != new_object.spec.artifact) {
    return Status::InvalidArgument(
        "spec.artifact: spec.artifact is immutable: create a new ModelVersion");
  }
  return Status::Ok();
}

}  // namespace modelgate
