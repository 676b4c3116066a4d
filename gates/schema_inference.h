// The model schema inferred from production's reference data, for a ModelVersion that does not
// declare spec.schema.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "api/model_version.h"
#include "api/status.h"
#include "gates/column_profile.h"

namespace modelgate::gates {

struct SchemaInferenceOptions {
  // The target column; absent: the first of "target", "label", "class", "y" that exists.
  std::optional<std::string> target;
  // A non-numeric column with at most this many distinct values is categorical, else text.
  std::size_t max_categories = 100;
  // A target whose values are all whole numbers with at most this many distinct values means
  // classification; a numeric target beyond that means regression.
  std::size_t max_classes = 20;
};

// Every column of `reference` but the target becomes a feature: numeric when all its values
// are numbers, categorical (with the levels seen, sorted) when it has few distinct values, text
// otherwise; nullable when the reference has nulls in it. Returns InvalidArgument naming the
// reference when it has no rows, no column besides the target, or a named target it lacks.
Result<ModelSchema> InferSchema(const DatasetProfile& reference,
                                const SchemaInferenceOptions& options = {});

}  // namespace modelgate::gates
