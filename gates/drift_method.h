// DriftMethod: which statistic judges a feature's drift, and Evidently's default choice.
//
// The default follows Evidently's _get_default_stattest (evidently.legacy.calculations.
// stattests.registry), with n_unique counted over reference and current values together
// (nulls excluded) and reference_rows the reference's non-null count:
//   reference_rows <= 1000:
//     numeric:      n_unique > 5 -> ks;  3..5 -> chisquare;  <= 2 -> z
//     categorical:  n_unique > 2 -> chisquare;  <= 2 -> z
//   reference_rows > 1000:
//     numeric:      n_unique > 5 -> wasserstein (normed);  <= 5 -> jensenshannon
//     categorical:  jensenshannon
// Thresholds default to Evidently's: 0.05 on the p-value for ks, chisquare and z (drift
// when p < threshold); 0.1 on the distance for wasserstein, jensenshannon and psi (drift
// when distance >= threshold).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "api/status.h"

namespace modelgate::gates {

enum class DriftMethod { kKs, kChiSquare, kZ, kWasserstein, kJensenShannon, kPsi };

enum class ColumnKind { kNumeric, kCategorical };

// "ks", "chisquare", "z", "wasserstein", "jensenshannon", "psi".
const char* DriftMethodName(DriftMethod method);

// Parses a method name as written in a ModelVersion. Returns InvalidArgument listing the
// accepted names.
Result<DriftMethod> ParseDriftMethod(std::string_view name);

// Evidently's default method for a column (see the table above).
DriftMethod DefaultDriftMethod(ColumnKind kind, std::int64_t reference_rows,
                               std::int64_t unique_values);

// The default threshold of `method`.
double DefaultDriftThreshold(DriftMethod method);

// True when the method's score is a p-value (smaller means more drift).
bool ScoreIsPValue(DriftMethod method);

// Whether `score` means drift under `threshold` for `method`.
bool IsDrift(DriftMethod method, double score, double threshold);

// Whether `method` applies to a column of `kind` (chisquare and z treat numbers as labels).
bool MethodApplies(DriftMethod method, ColumnKind kind);

}  // namespace modelgate::gates
