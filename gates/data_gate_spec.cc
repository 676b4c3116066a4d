#include "gates/data_gate_spec.h"

namespace modelgate::gates {

std::optional<DriftMethod> DriftMethodFromSpec(modelgate::DriftMethod method) {
  switch (method) {
    case modelgate::DriftMethod::kAuto:
      return std::nullopt;
    case modelgate::DriftMethod::kPsi:
      return DriftMethod::kPsi;
    case modelgate::DriftMethod::kKs:
      return DriftMethod::kKs;
    case modelgate::DriftMethod::kChiSquare:
      return DriftMethod::kChiSquare;
    case modelgate::DriftMethod::kJensenShannon:
      return DriftMethod::kJensenShannon;
    case modelgate::DriftMethod::kWasserstein:
      return DriftMethod::kWasserstein;
  }
  return std::nullopt;
}

DataGateConfig DataGateConfigFromSpec(const DataGateSpec& spec,
                                      const std::optional<ModelSchema>& schema) {
  DataGateConfig config;
  config.max_drift_share = spec.max_drift_share;
  config.method = DriftMethodFromSpec(spec.method);
  config.threshold = spec.threshold;
  for (const ColumnDrift& column : spec.columns) {
    ColumnDriftRule rule;
    if (column.method) rule.method = DriftMethodFromSpec(*column.method);
    rule.threshold = column.threshold;
    config.column_drift[column.name] = rule;
  }
  config.max_null_rate = spec.max_null_rate;
  config.max_null_rate_increase = spec.max_null_rate_increase;
  config.fail_on_unseen_categories = spec.fail_on_unseen_categories;
  config.fail_on_out_of_range = spec.fail_on_out_of_range;
  if (!schema) return config;
  if (schema->target) config.excluded_columns.push_back(*schema->target);
  for (const FeatureSpec& feature : schema->features) {
    FeatureRule rule;
    rule.name = feature.name;
    switch (feature.type) {
      case FeatureType::kNumeric:
        rule.kind = FeatureRule::Kind::kNumeric;
        break;
      case FeatureType::kCategorical:
        rule.kind = FeatureRule::Kind::kCategorical;
        break;
      case FeatureType::kText:
      case FeatureType::kImage:
        rule.kind = FeatureRule::Kind::kOther;
        break;
    }
    rule.nullable = feature.nullable;
    rule.categories = feature.categories;
    rule.min = feature.min;
    rule.max = feature.max;
    config.features.push_back(std::move(rule));
  }
  return config;
}

}  // namespace modelgate::gates
