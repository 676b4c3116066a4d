#include "gates/schema_inference.h"

#include <algorithm>
#include <cmath>

#include "gates/dataset.h"

namespace modelgate::gates {
namespace {

// True when every counted value of the column is a whole number.
bool WholeNumbers(const ColumnProfile& profile) {
  if (profile.categories_overflowed() || !profile.numeric()) return false;
  return std::all_of(profile.categories().begin(), profile.categories().end(),
                     [](const auto& entry) {
                       double value = 0;
                       return ParseFiniteDouble(entry.first, &value) && value == std::floor(value);
                     });
}

}  // namespace

Result<ModelSchema> InferSchema(const DatasetProfile& reference,
                                const SchemaInferenceOptions& options) {
  if (reference.rows == 0) {
    return Status::InvalidArgument(reference.name + ": no rows to infer the schema from");
  }
  ModelSchema schema;
  std::string target;
  if (options.target.has_value()) {
    if (reference.Find(*options.target) == nullptr) {
      return Status::InvalidArgument(reference.name + ": no target column \"" + *options.target +
                                     "\"");
    }
    target = *options.target;
  } else {
    for (const char* name : {"target", "label", "class", "y"}) {
      if (reference.Find(name) != nullptr) {
        target = name;
        break;
      }
    }
  }
  if (!target.empty()) {
    schema.target = target;
    const ColumnProfile& answers = *reference.Find(target);
    const bool regression =
        answers.numeric() &&
        (!WholeNumbers(answers) || answers.categories().size() > options.max_classes);
    schema.task = regression ? ModelTask::kRegression : ModelTask::kClassification;
  }
  for (std::size_t i = 0; i < reference.columns.size(); ++i) {
    if (reference.columns[i] == target) continue;
    const ColumnProfile& profile = reference.profiles[i];
    FeatureSpec feature;
    feature.name = reference.columns[i];
    feature.nullable = profile.nulls() > 0;
    if (profile.numeric() || profile.non_null() == 0) {
      feature.type = FeatureType::kNumeric;
    } else if (!profile.categories_overflowed() &&
               profile.categories().size() <= options.max_categories) {
      feature.type = FeatureType::kCategorical;
      for (const auto& entry : profile.categories()) feature.categories.push_back(entry.first);
      std::sort(feature.categories.begin(), feature.categories.end());
    } else {
      feature.type = FeatureType::kText;
    }
    schema.features.push_back(std::move(feature));
  }
  if (schema.features.empty()) {
    return Status::InvalidArgument(reference.name + ": no feature columns besides the target");
  }
  return schema;
}

}  // namespace modelgate::gates
