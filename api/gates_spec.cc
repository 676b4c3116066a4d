#include "api/gates_spec.h"

#include "api/enum_names.h"

namespace modelgate {
namespace {

using api_internal::EnumName;

constexpr EnumName<DriftMethod> kDriftMethodNames[] = {
    {DriftMethod::kAuto, "auto"},
    {DriftMethod::kPsi, "psi"},
    {DriftMethod::kKs, "ks"},
    {DriftMethod::kChiSquare, "chisquare"},
    {DriftMethod::kJensenShannon, "jensenshannon"},
    {DriftMethod::kWasserstein, "wasserstein"},
};

constexpr EnumName<QualityMetric> kQualityMetricNames[] = {
    {QualityMetric::kAuc, "auc"},       {QualityMetric::kAccuracy, "accuracy"},
    {QualityMetric::kF1, "f1"},         {QualityMetric::kPrecision, "precision"},
    {QualityMetric::kRecall, "recall"}, {QualityMetric::kLogLoss, "logloss"},
    {QualityMetric::kRmse, "rmse"},     {QualityMetric::kMae, "mae"},
    {QualityMetric::kR2, "r2"},
};

constexpr EnumName<StressMode> kStressModeNames[] = {
    {StressMode::kClosed, "closed"},
    {StressMode::kOpen, "open"},
};

}  // namespace

const char* ToString(DriftMethod method) { return api_internal::NameOf(kDriftMethodNames, method); }
Result<DriftMethod> DriftMethodFromString(std::string_view text) {
  return api_internal::ParseName(kDriftMethodNames, text);
}

double DefaultDriftThreshold(DriftMethod method) {
  switch (method) {
    case DriftMethod::kKs:
    case DriftMethod::kChiSquare:
      return 0.05;
    case DriftMethod::kPsi:
    case DriftMethod::kJensenShannon:
    case DriftMethod::kWasserstein:
    case DriftMethod::kAuto:
      return 0.1;
  }
  return 0.1;
}

bool DriftThresholdIsPValue(DriftMethod method) {
  return method == DriftMethod::kKs || method == DriftMethod::kChiSquare;
}

const char* ToString(QualityMetric metric) {
  return api_internal::NameOf(kQualityMetricNames, metric);
}
Result<QualityMetric> QualityMetricFromString(std::string_view text) {
  return api_internal::ParseName(kQualityMetricNames, text);
}

bool HigherIsBetter(QualityMetric metric) {
  return metric != QualityMetric::kLogLoss && metric != QualityMetric::kRmse &&
         metric != QualityMetric::kMae;
}

const char* ToString(StressMode mode) { return api_internal::NameOf(kStressModeNames, mode); }
Result<StressMode> StressModeFromString(std::string_view text) {
  return api_internal::ParseName(kStressModeNames, text);
}

const GateCommon& GateSettings(const GatesSpec& gates, GateName gate) {
  switch (gate) {
    case GateName::kData:
      return gates.data.common;
    case GateName::kQuality:
      return gates.quality.common;
    case GateName::kRobustness:
      return gates.robustness.common;
    case GateName::kStress:
      return gates.stress.common;
  }
  return gates.data.common;
}

}  // namespace modelgate
