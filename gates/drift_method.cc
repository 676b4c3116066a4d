#include "gates/drift_method.h"

namespace modelgate::gates {

const char* DriftMethodName(DriftMethod method) {
  switch (method) {
    case DriftMethod::kKs:
      return "ks";
    case DriftMethod::kChiSquare:
      return "chisquare";
    case DriftMethod::kZ:
      return "z";
    case DriftMethod::kWasserstein:
      return "wasserstein";
    case DriftMethod::kJensenShannon:
      return "jensenshannon";
    case DriftMethod::kPsi:
      return "psi";
  }
  return "unknown";
}

Result<DriftMethod> ParseDriftMethod(std::string_view name) {
  for (DriftMethod m :
       {DriftMethod::kKs, DriftMethod::kChiSquare, DriftMethod::kZ, DriftMethod::kWasserstein,
        DriftMethod::kJensenShannon, DriftMethod::kPsi}) {
    if (name == DriftMethodName(m)) return m;
  }
  return Status::InvalidArgument("unknown drift method \"" + std::string(name) +
                                 "\" (expected ks, chisquare, z, wasserstein, jensenshannon "
                                 "or psi)");
}

DriftMethod DefaultDriftMethod(ColumnKind kind, std::int64_t reference_rows,
                               std::int64_t unique_values) {
  if (reference_rows <= 1000) {
    if (kind == ColumnKind::kNumeric && unique_values > 5) return DriftMethod::kKs;
    return unique_values > 2 ? DriftMethod::kChiSquare : DriftMethod::kZ;
  }
  if (kind == ColumnKind::kNumeric && unique_values > 5) return DriftMethod::kWasserstein;
  return DriftMethod::kJensenShannon;
}

double DefaultDriftThreshold(DriftMethod method) { return ScoreIsPValue(method) ? 0.05 : 0.1; }

bool ScoreIsPValue(DriftMethod method) {
  return method == DriftMethod::kKs || method == DriftMethod::kChiSquare ||
         method == DriftMethod::kZ;
}

bool IsDrift(DriftMethod method, double score, double threshold) {
  return ScoreIsPValue(method) ? score < threshold : score >= threshold;
}

bool MethodApplies(DriftMethod method, ColumnKind kind) {
  if (kind == ColumnKind::kNumeric) return true;
  return method != DriftMethod::kKs && method != DriftMethod::kWasserstein;
}

}  // namespace modelgate::gates
