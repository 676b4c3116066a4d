// FeatureDrift: the drift of one feature between the reference (production) profile and the
// current (training) profile, by a chosen or Evidently-default method.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "api/status.h"
#include "gates/column_profile.h"
#include "gates/drift_method.h"

namespace modelgate::gates {

struct FeatureDrift {
  DriftMethod method = DriftMethod::kKs;
  double score = 0;      // p-value or distance, per ScoreIsPValue(method)
  double threshold = 0;  // the threshold the score was judged against
  bool drifted = false;
  bool sketched = false;  // numeric distributions came from quantile sketches
};

// Distinct non-null values over both profiles (numeric values compared as numbers), or
// nullopt when either side had too many to count.
std::optional<std::int64_t> CombinedUniqueValues(const ColumnProfile& reference,
                                                 const ColumnProfile& current, ColumnKind kind);

// Computes the drift of one feature. `method` and `threshold` default to Evidently's choice
// (drift_method.h) when absent. Numeric statistics use the profiles' distributions; value
// statistics (chisquare, z, and psi / jensenshannon on few distinct values) use the category
// counts. Returns InvalidArgument naming the column when the method does not apply to its
// kind or a side has no non-null values, and ResourceExhausted when a value-based method
// meets a column with too many distinct values to count.
Result<FeatureDrift> ComputeFeatureDrift(const std::string& column, const ColumnProfile& reference,
                                         const ColumnProfile& current, ColumnKind kind,
                                         std::optional<DriftMethod> method,
                                         std::optional<double> threshold);

}  // namespace modelgate::gates
