// DriftHistogram: the binned counts behind one feature's drift verdict, reference against
// training, so a report can draw the two distributions side by side.
//
// Numeric features share numpy.histogram bins over the range of both sides (the Sturges
// rule on the larger side, at most kMaxDriftHistogramBins); categorical ones count the most
// frequent values of both sides together and fold the rest into one "other" count. The sizes
// are bounded, so the full report stays small whatever the data.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "api/status.h"
#include "gates/column_profile.h"
#include "gates/drift_method.h"

namespace modelgate::gates {

inline constexpr std::size_t kMaxDriftHistogramBins = 40;
inline constexpr std::size_t kMaxDriftHistogramCategories = 20;

struct DriftHistogram {
  ColumnKind kind = ColumnKind::kNumeric;
  std::vector<double> edges;            // numeric: bins + 1 ascending edges
  std::vector<std::string> categories;  // categorical: one label per bin, most frequent first
  std::vector<double> reference;        // counts per bin
  std::vector<double> training;
  double reference_other = 0;  // categorical: values beyond the shown categories
  double training_other = 0;
};

// The histogram of one feature. Returns nullopt when a side has no non-null value, or for a
// categorical feature with too many distinct values to count.
std::optional<DriftHistogram> ComputeDriftHistogram(const ColumnProfile& reference,
                                                    const ColumnProfile& training, ColumnKind kind);

// {"kind":"numeric","edges":[...],"reference":[...],"training":[...]} or
// {"kind":"categorical","categories":[...],"reference":[...],"training":[...],
//  "referenceOther":n,"trainingOther":n}.
nlohmann::json DriftHistogramJson(const DriftHistogram& histogram);

// Reads what DriftHistogramJson wrote. Returns InvalidArgument naming the field when `json`
// is not such an object, when the arrays disagree in length, or when they exceed the bounds
// above (a report read back from a log is outside input).
Result<DriftHistogram> DriftHistogramFromJson(const nlohmann::json& json);

}  // namespace modelgate::gates
