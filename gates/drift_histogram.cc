#include "gates/drift_histogram.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string_view>
#include <utility>

#include "gates/drift.h"

namespace modelgate::gates {
namespace {

std::optional<DriftHistogram> NumericHistogram(const ColumnProfile& reference,
                                               const ColumnProfile& training) {
  if (reference.numeric_count() == 0 || training.numeric_count() == 0) return std::nullopt;
  DriftHistogram out;
  out.kind = ColumnKind::kNumeric;
  double low = std::min(reference.min(), training.min());
  double high = std::max(reference.max(), training.max());
  const EmpiricalDistribution r = reference.NumericDistribution();
  const EmpiricalDistribution c = training.NumericDistribution();
  const std::size_t bins =
      std::min(SturgesBins(std::max({r.total(), c.total(), 1.0})), kMaxDriftHistogramBins);
  out.reference = HistogramCounts(r, low, high, bins);
  out.training = HistogramCounts(c, low, high, bins);
  if (low == high) {  // as HistogramCounts widens a single value
    low -= 0.5;
    high += 0.5;
  }
  for (std::size_t k = 0; k <= bins; ++k) {
    out.edges.push_back(k == bins ? high : low + (high - low) * static_cast<double>(k) / bins);
  }
  return out;
}

std::optional<DriftHistogram> CategoricalHistogram(const ColumnProfile& reference,
                                                   const ColumnProfile& training) {
  if (reference.categories_overflowed() || training.categories_overflowed()) return std::nullopt;
  if (reference.non_null() == 0 || training.non_null() == 0) return std::nullopt;
  std::map<std::string_view, std::pair<double, double>> merged;
  for (const auto& [value, count] : reference.categories()) {
    merged[value].first += static_cast<double>(count);
  }
  for (const auto& [value, count] : training.categories()) {
    merged[value].second += static_cast<double>(count);
  }
  std::vector<std::pair<std::string_view, std::pair<double, double>>> ordered(merged.begin(),
                                                                              merged.end());
  // Most frequent first; ties by value, so the same data always draws the same picture.
  std::stable_sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) {
    return a.second.first + a.second.second > b.second.first + b.second.second;
  });
  DriftHistogram out;
  out.kind = ColumnKind::kCategorical;
  for (std::size_t i = 0; i < ordered.size(); ++i) {
    const auto& [value, counts] = ordered[i];
    if (i < kMaxDriftHistogramCategories) {
      out.categories.emplace_back(value);
      out.reference.push_back(counts.first);
      out.training.push_back(counts.second);
    } else {
      out.reference_other += counts.first;
      out.training_other += counts.second;
    }
  }
  return out;
}

Result<std::vector<double>> Counts(const nlohmann::json& json, const char* field,
                                   std::size_t max_size) {
  const std::string where = std::string("histogram.") + field;
  if (!json.contains(field) || !json[field].is_array()) {
    return Status::InvalidArgument(where + ": must be an array");
  }
  const nlohmann::json& array = json[field];
  if (array.size() > max_size) {
    return Status::InvalidArgument(where + ": more than " + std::to_string(max_size) + " entries");
  }
  std::vector<double> out;
  for (std::size_t i = 0; i < array.size(); ++i) {
    if (!array[i].is_number() || !std::isfinite(array[i].get<double>())) {
      return Status::InvalidArgument(where + "[" + std::to_string(i) + "]: must be a number");
    }
    out.push_back(array[i].get<double>());
  }
  return out;
}

Result<double> Other(const nlohmann::json& json, const char* field) {
  if (!json.contains(field)) return 0.0;
  if (!json[field].is_number() || !std::isfinite(json[field].get<double>())) {
    return Status::InvalidArgument(std::string("histogram.") + field + ": must be a number");
  }
  return json[field].get<double>();
}

}  // namespace

std::optional<DriftHistogram> ComputeDriftHistogram(const ColumnProfile& reference,
                                                    const ColumnProfile& training,
                                                    ColumnKind kind) {
  return kind == ColumnKind::kNumeric ? NumericHistogram(reference, training)
                                      : CategoricalHistogram(reference, training);
}

nlohmann::json DriftHistogramJson(const DriftHistogram& histogram) {
  nlohmann::json out;
  if (histogram.kind == ColumnKind::kNumeric) {
    out["kind"] = "numeric";
    out["edges"] = histogram.edges;
  } else {
    out["kind"] = "categorical";
    out["categories"] = histogram.categories;
  }
  out["reference"] = histogram.reference;
  out["training"] = histogram.training;
  if (histogram.kind == ColumnKind::kCategorical) {
    out["referenceOther"] = histogram.reference_other;
    out["trainingOther"] = histogram.training_other;
  }
  return out;
}

Result<DriftHistogram> DriftHistogramFromJson(const nlohmann::json& json) {
  if (!json.is_object()) return Status::InvalidArgument("histogram: must be an object");
  const auto kind = json.find("kind");
  if (kind == json.end() || !kind->is_string() || (*kind != "numeric" && *kind != "categorical")) {
    return Status::InvalidArgument("histogram.kind: must be \"numeric\" or \"categorical\"");
  }
  DriftHistogram out;
  out.kind = *kind == "numeric" ? ColumnKind::kNumeric : ColumnKind::kCategorical;
  const std::size_t max_bins =
      out.kind == ColumnKind::kNumeric ? kMaxDriftHistogramBins : kMaxDriftHistogramCategories;
  Result<std::vector<double>> reference = Counts(json, "reference", max_bins);
  if (!reference.ok()) return reference.status();
  Result<std::vector<double>> training = Counts(json, "training", max_bins);
  if (!training.ok()) return training.status();
  if (reference->size() != training->size() || reference->empty()) {
    return Status::InvalidArgument(
        "histogram.training: must have as many bins as histogram.reference, at least one");
  }
  out.reference = std::move(reference).value();
  out.training = std::move(training).value();
  if (out.kind == ColumnKind::kNumeric) {
    Result<std::vector<double>> edges = Counts(json, "edges", max_bins + 1);
    if (!edges.ok()) return edges.status();
    if (edges->size() != out.reference.size() + 1 ||
        !std::is_sorted(edges->begin(), edges->end())) {
      return Status::InvalidArgument(
          "histogram.edges: must be one more ascending edge than there are bins");
    }
    out.edges = std::move(edges).value();
    return out;
  }
  const auto categories = json.find("categories");
  if (categories == json.end() || !categories->is_array() ||
      categories->size() != out.reference.size()) {
    return Status::InvalidArgument("histogram.categories: must name every bin");
  }
  for (const nlohmann::json& label : *categories) {
    if (!label.is_string()) {
      return Status::InvalidArgument("histogram.categories: must be strings");
    }
    out.categories.push_back(label.get<std::string>());
  }
  Result<double> reference_other = Other(json, "referenceOther");
  if (!reference_other.ok()) return reference_other.status();
  Result<double> training_other = Other(json, "trainingOther");
  if (!training_other.ok()) return training_other.status();
  out.reference_other = *reference_other;
  out.training_other = *training_other;
  return out;
}

}  // namespace modelgate::gates
