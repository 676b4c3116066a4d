#include "gates/feature_drift.h"

#include <algorithm>
#include <map>
#include <string_view>
#include <vector>

#include "gates/drift.h"
#include "gates/kolmogorov_smirnov.h"

namespace modelgate::gates {
namespace {

// Category counts of both sides aligned on the union of their values, in sorted order
// (numbers by value when the column is numeric, so "1" and "1.0" are one value).
struct AlignedCounts {
  std::vector<double> reference;
  std::vector<double> current;
};

AlignedCounts Align(const ColumnProfile& reference, const ColumnProfile& current, ColumnKind kind) {
  AlignedCounts out;
  if (kind == ColumnKind::kNumeric) {
    std::map<double, std::pair<double, double>> merged;
    double x;
    for (const auto& [value, count] : reference.categories()) {
      if (ParseFiniteDouble(value, &x)) merged[x].first += static_cast<double>(count);
    }
    for (const auto& [value, count] : current.categories()) {
      if (ParseFiniteDouble(value, &x)) merged[x].second += static_cast<double>(count);
    }
    for (const auto& [value, counts] : merged) {
      out.reference.push_back(counts.first);
      out.current.push_back(counts.second);
    }
    return out;
  }
  std::map<std::string_view, std::pair<double, double>> merged;
  for (const auto& [value, count] : reference.categories()) {
    merged[value].first += static_cast<double>(count);
  }
  for (const auto& [value, count] : current.categories()) {
    merged[value].second += static_cast<double>(count);
  }
  for (const auto& [value, counts] : merged) {
    out.reference.push_back(counts.first);
    out.current.push_back(counts.second);
  }
  return out;
}

bool CountsAvailable(const ColumnProfile& reference, const ColumnProfile& current) {
  return !reference.categories_overflowed() && !current.categories_overflowed();
}

}  // namespace

std::optional<std::int64_t> CombinedUniqueValues(const ColumnProfile& reference,
                                                 const ColumnProfile& current, ColumnKind kind) {
  if (!CountsAvailable(reference, current)) return std::nullopt;
  return static_cast<std::int64_t>(Align(reference, current, kind).reference.size());
}

Result<FeatureDrift> ComputeFeatureDrift(const std::string& column, const ColumnProfile& reference,
                                         const ColumnProfile& current, ColumnKind kind,
                                         std::optional<DriftMethod> method,
                                         std::optional<double> threshold) {
  if (reference.non_null() == 0 || current.non_null() == 0) {
    return Status::InvalidArgument("column \"" + column + "\": no non-null values in the " +
                                   (reference.non_null() == 0 ? "reference" : "training") +
                                   " data");
  }
  FeatureDrift drift;
  std::optional<std::int64_t> unique = CombinedUniqueValues(reference, current, kind);
  // Too many values to count means "many": far above every cut-off of the default rule.
  drift.method =
      method.value_or(DefaultDriftMethod(kind, reference.non_null(), unique.value_or(INT64_MAX)));
  drift.threshold = threshold.value_or(DefaultDriftThreshold(drift.method));
  if (!MethodApplies(drift.method, kind)) {
    return Status::InvalidArgument("column \"" + column + "\": drift method " +
                                   DriftMethodName(drift.method) + " needs a numeric column");
  }
  // Evidently bins a numeric column by value when the reference has at most 20 values.
  std::optional<std::int64_t> reference_unique =
      reference.categories_overflowed()
          ? std::nullopt
          : std::optional<std::int64_t>(static_cast<std::int64_t>(reference.categories().size()));
  const bool numeric_bins =
      kind == ColumnKind::kNumeric && (!reference_unique.has_value() || *reference_unique > 20);
  const bool needs_counts = drift.method == DriftMethod::kChiSquare ||
                            drift.method == DriftMethod::kZ ||
                            (drift.method == DriftMethod::kJensenShannon && !numeric_bins) ||
                            (drift.method == DriftMethod::kPsi && kind == ColumnKind::kCategorical);
  if (needs_counts && !CountsAvailable(reference, current)) {
    return Status::ResourceExhausted("column \"" + column + "\": too many distinct values for " +
                                     DriftMethodName(drift.method));
  }
  switch (drift.method) {
    case DriftMethod::kKs: {
      EmpiricalDistribution r = reference.NumericDistribution();
      EmpiricalDistribution c = current.NumericDistribution();
      drift.sketched = !reference.exact() || !current.exact();
      drift.score =
          KsPValue(KsStatistic(r, c), reference.numeric_count(), current.numeric_count()).p_value;
      break;
    }
    case DriftMethod::kWasserstein:
      drift.sketched = !reference.exact() || !current.exact();
      drift.score =
          NormedWassersteinDistance(reference.NumericDistribution(), current.NumericDistribution(),
                                    reference.population_std());
      break;
    case DriftMethod::kPsi:
      if (kind == ColumnKind::kNumeric) {
        EmpiricalDistribution r = reference.NumericDistribution();
        EmpiricalDistribution c = current.NumericDistribution();
        drift.sketched = !reference.exact() || !current.exact();
        std::vector<double> edges = DecileEdges(r);
        drift.score = PopulationStabilityIndex(BinCounts(r, edges), BinCounts(c, edges));
      } else {
        AlignedCounts counts = Align(reference, current, kind);
        drift.score = PopulationStabilityIndex(counts.reference, counts.current);
      }
      break;
    case DriftMethod::kJensenShannon:
      if (numeric_bins) {
        EmpiricalDistribution r = reference.NumericDistribution();
        EmpiricalDistribution c = current.NumericDistribution();
        drift.sketched = !reference.exact() || !current.exact();
        const double low = std::min(reference.min(), current.min());
        const double high = std::max(reference.max(), current.max());
        const std::size_t bins = SturgesBins(r.total() + c.total());
        drift.score = JensenShannonDistance(HistogramCounts(r, low, high, bins),
                                            HistogramCounts(c, low, high, bins));
      } else {
        AlignedCounts counts = Align(reference, current, kind);
        drift.score = JensenShannonDistance(counts.reference, counts.current);
      }
      break;
    case DriftMethod::kChiSquare: {
      AlignedCounts counts = Align(reference, current, kind);
      drift.score = ChiSquareTest(counts.reference, counts.current).p_value;
      break;
    }
    case DriftMethod::kZ: {
      AlignedCounts counts = Align(reference, current, kind);
      if (counts.reference.size() > 2) {
        return Status::InvalidArgument("column \"" + column +
                                       "\": the z test needs at most two "
                                       "distinct values, found " +
                                       std::to_string(counts.reference.size()));
      }
      double reference_total = 0, current_total = 0;
      for (double v : counts.reference) reference_total += v;
      for (double v : counts.current) current_total += v;
      drift.score = ProportionsZTestPValue(counts.reference[0], reference_total, counts.current[0],
                                           current_total);
      break;
    }
  }
  drift.drifted = IsDrift(drift.method, drift.score, drift.threshold);
  return drift;
}

}  // namespace modelgate::gates
