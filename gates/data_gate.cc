#include "gates/data_gate.h"

#include <algorithm>
#include <cstdio>
#include <set>
#include <utility>

#include "gates/drift_histogram.h"
#include "gates/feature_drift.h"

namespace modelgate::gates {
namespace {

std::string Format(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4g", value);
  return text;
}

std::string Quote(const std::string& s) { return "\"" + s + "\""; }

// Collects findings; failures and configuration errors decide the verdict.
class Findings {
 public:
  void Fail(const std::string& check, const std::string& column, const std::string& message) {
    Add(check, column, message, "fail");
    failures_.push_back(message);
  }
  void Note(const std::string& check, const std::string& column, const std::string& message) {
    Add(check, column, message, "info");
  }
  void Error(const std::string& column, const std::string& message) {
    Add("config", column, message, "error");
    errors_.push_back(message);
  }
  // A failure when `fail` is set, a note otherwise.
  void FailIf(bool fail, const std::string& check, const std::string& column,
              const std::string& message) {
    if (fail) {
      Fail(check, column, message);
    } else {
      Note(check, column, message);
    }
  }

  const std::vector<std::string>& failures() const { return failures_; }
  const std::vector<std::string>& errors() const { return errors_; }
  nlohmann::json& json() { return json_; }

 private:
  void Add(const std::string& check, const std::string& column, const std::string& message,
           const char* severity) {
    json_.push_back(
        {{"check", check}, {"column", column}, {"severity", severity}, {"message", message}});
  }
  std::vector<std::string> failures_;
  std::vector<std::string> errors_;
  nlohmann::json json_ = nlohmann::json::array();
};

std::vector<FeatureRule> InferFeatures(const DatasetProfile& reference,
                                       const DataGateConfig& config) {
  std::vector<FeatureRule> features;
  for (std::size_t i = 0; i < reference.columns.size(); ++i) {
    const std::string& name = reference.columns[i];
    if (std::find(config.excluded_columns.begin(), config.excluded_columns.end(), name) !=
        config.excluded_columns.end()) {
      continue;
    }
    FeatureRule rule;
    rule.name = name;
    rule.kind = reference.profiles[i].numeric() ? FeatureRule::Kind::kNumeric
                                                : FeatureRule::Kind::kCategorical;
    features.push_back(std::move(rule));
  }
  return features;
}

void CheckType(const FeatureRule& feature, const ColumnProfile& column, const char* side,
               Findings* findings) {
  if (feature.kind != FeatureRule::Kind::kNumeric || column.non_numeric_count() == 0) return;
  std::string where = column.first_non_numeric_position().empty()
                          ? "row " + std::to_string(column.first_non_numeric_row())
                          : column.first_non_numeric_position();
  findings->Fail("schema", feature.name,
                 std::string(side) + " column " + Quote(feature.name) + " is numeric but " +
                     std::to_string(column.non_numeric_count()) +
                     " value(s) are not numbers, the first " + Quote(column.first_non_numeric()) +
                     " at " + where);
}

void CheckCompleteness(const FeatureRule& feature, const ColumnProfile& reference,
                       const ColumnProfile& training, const DataGateConfig& config,
                       Findings* findings, std::map<std::string, double>* metrics) {
  const double rate = training.null_rate();
  (*metrics)["null_rate." + feature.name] = rate;
  if (!feature.nullable && training.nulls() > 0) {
    findings->Fail("completeness", feature.name,
                   Quote(feature.name) + " is not nullable but has " +
                       std::to_string(training.nulls()) + " null value(s)");
  }
  if (config.max_null_rate && rate > *config.max_null_rate) {
    findings->Fail("completeness", feature.name,
                   Quote(feature.name) + " null rate " + Format(rate) + " exceeds " +
                       Format(*config.max_null_rate));
  }
  if (config.max_null_rate_increase &&
      rate - reference.null_rate() > *config.max_null_rate_increase) {
    findings->Fail("completeness", feature.name,
                   Quote(feature.name) + " null rate " + Format(rate) + " is more than " +
                       Format(*config.max_null_rate_increase) + " above the reference's " +
                       Format(reference.null_rate()));
  }
}

void CheckRange(const FeatureRule& feature, const ColumnProfile& reference,
                const ColumnProfile& training, const DataGateConfig& config, Findings* findings) {
  if (training.numeric_count() == 0) return;
  if (!feature.min && !feature.max && reference.numeric_count() == 0) return;
  const double low = feature.min.value_or(reference.min());
  const double high = feature.max.value_or(reference.max());
  const char* origin = feature.min || feature.max ? "the declared range" : "the reference's range";
  if (training.min() < low || training.max() > high) {
    findings->FailIf(config.fail_on_out_of_range, "range", feature.name,
                     Quote(feature.name) + " spans [" + Format(training.min()) + ", " +
                         Format(training.max()) + "], outside " + origin + " [" + Format(low) +
                         ", " + Format(high) + "]");
  }
}

void CheckCategories(const FeatureRule& feature, const ColumnProfile& reference,
                     const ColumnProfile& training, const DataGateConfig& config,
                     Findings* findings) {
  if (training.categories_overflowed() ||
      (feature.categories.empty() && reference.categories_overflowed())) {
    findings->Note("categories", feature.name,
                   Quote(feature.name) + " has too many distinct values to check categories");
    return;
  }
  std::set<std::string, std::less<>> allowed(feature.categories.begin(), feature.categories.end());
  if (allowed.empty()) {
    for (const auto& [value, count] : reference.categories()) allowed.insert(value);
  }
  std::vector<std::string> unseen;
  for (const auto& [value, count] : training.categories()) {
    if (!allowed.contains(value)) unseen.push_back(value);
  }
  std::sort(unseen.begin(), unseen.end());
  if (!unseen.empty()) {
    std::string list;
    for (std::size_t i = 0; i < unseen.size() && i < 5; ++i) {
      list += (i ? ", " : "") + Quote(unseen[i]);
    }
    if (unseen.size() > 5) list += ", ...";
    findings->FailIf(config.fail_on_unseen_categories, "categories", feature.name,
                     Quote(feature.name) + " has " + std::to_string(unseen.size()) +
                         " unseen categor" + (unseen.size() == 1 ? "y" : "ies") + ": " + list);
  }
  std::size_t missing = 0;
  for (const std::string& value : allowed) {
    if (!training.categories().contains(value)) ++missing;
  }
  if (missing > 0) {
    findings->Note("categories", feature.name,
                   Quote(feature.name) + ": " + std::to_string(missing) + " known categor" +
                       (missing == 1 ? "y is" : "ies are") + " missing from the training data");
  }
}

}  // namespace

GateResult EvaluateDataGate(const DatasetProfile& reference, const DatasetProfile& training,
                            const DataGateConfig& config) {
  GateResult result;
  result.gate = "data";
  Findings findings;
  std::vector<FeatureRule> features =
      config.features.empty() ? InferFeatures(reference, config) : config.features;

  std::set<std::string, std::less<>> known(config.excluded_columns.begin(),
                                           config.excluded_columns.end());
  for (const FeatureRule& f : features) known.insert(f.name);
  for (const std::string& column : training.columns) {
    if (!known.contains(column)) {
      findings.FailIf(
          config.fail_on_new_columns, "schema", column,
          "training data has a column the reference and schema do not: " + Quote(column));
    }
  }

  nlohmann::json drift_details = nlohmann::json::array();
  // The highest training null rate: what a policy floor on maxNullRate bounds, as
  // max_null_rate bounds each feature's.
  double max_null_rate = 0;
  int checked = 0;
  int drifted = 0;
  int missing_columns = 0;
  for (const FeatureRule& feature : features) {
    const ColumnProfile* ref = reference.Find(feature.name);
    const ColumnProfile* cur = training.Find(feature.name);
    if (cur == nullptr) {
      ++missing_columns;
      findings.Fail("schema", feature.name,
                    "training data " + training.name + " has no column " + Quote(feature.name));
      continue;
    }
    if (ref == nullptr) {
      ++missing_columns;
      findings.Fail("schema", feature.name,
                    "reference data " + reference.name + " has no column " + Quote(feature.name));
      continue;
    }
    const std::size_t before = findings.failures().size();
    CheckType(feature, *ref, "reference", &findings);
    CheckType(feature, *cur, "training", &findings);
    const bool types_ok = findings.failures().size() == before;
    CheckCompleteness(feature, *ref, *cur, config, &findings, &result.metrics);
    max_null_rate = std::max(max_null_rate, cur->null_rate());
    if (feature.kind == FeatureRule::Kind::kNumeric && types_ok) {
      CheckRange(feature, *ref, *cur, config, &findings);
    } else if (feature.kind == FeatureRule::Kind::kCategorical) {
      CheckCategories(feature, *ref, *cur, config, &findings);
    }
    if (feature.kind == FeatureRule::Kind::kOther || !types_ok) continue;

    auto rule = config.column_drift.find(feature.name);
    std::optional<DriftMethod> method = config.method;
    std::optional<double> threshold = config.threshold;
    if (rule != config.column_drift.end()) {
      if (rule->second.method) method = rule->second.method;
      if (rule->second.threshold) threshold = rule->second.threshold;
    }
    const ColumnKind kind = feature.kind == FeatureRule::Kind::kNumeric ? ColumnKind::kNumeric
                                                                        : ColumnKind::kCategorical;
    Result<FeatureDrift> drift =
        ComputeFeatureDrift(feature.name, *ref, *cur, kind, method, threshold);
    if (!drift.ok()) {
      if (drift.status().code() == Status::Code::kInvalidArgument && method.has_value() &&
          !MethodApplies(*method, kind)) {
        findings.Error(feature.name, drift.status().message());
      } else {
        findings.Note("drift", feature.name, drift.status().message() + "; not tested");
      }
      continue;
    }
    ++checked;
    if (drift->drifted) ++drifted;
    result.metrics["drift_score." + feature.name] = drift->score;
    nlohmann::json detail = {
        {"column", feature.name},    {"method", DriftMethodName(drift->method)},
        {"score", drift->score},     {"threshold", drift->threshold},
        {"drifted", drift->drifted}, {"sketched", drift->sketched}};
    // The binned counts, so a report can show the two distributions, not just the score.
    if (auto histogram = ComputeDriftHistogram(*ref, *cur, kind)) {
      detail["histogram"] = DriftHistogramJson(*histogram);
    }
    drift_details.push_back(std::move(detail));
  }

  const double share = checked == 0 ? 0.0 : static_cast<double>(drifted) / checked;
  result.metrics["drift_share"] = share;
  result.metrics["drifted_features"] = drifted;
  result.metrics["checked_features"] = checked;
  result.metrics["missing_columns"] = missing_columns;
  result.metrics["max_null_rate"] = max_null_rate;
  result.metrics["reference_rows"] = static_cast<double>(reference.rows);
  result.metrics["training_rows"] = static_cast<double>(training.rows);
  const std::string drift_sentence = std::to_string(drifted) + " of " + std::to_string(checked) +
                                     " features drifted (share " + Format(share) + ", maximum " +
                                     Format(config.max_drift_share) + ")";
  if (share > config.max_drift_share) {
    findings.Fail("drift", "", drift_sentence);
  }
  result.details["findings"] = findings.json();
  result.details["drift"] = drift_details;

  if (!findings.errors().empty()) {
    result.verdict = GateVerdict::kError;
    result.message = "data gate configuration cannot be applied: " + findings.errors().front();
  } else if (!findings.failures().empty()) {
    result.verdict = GateVerdict::kFailed;
    const auto& failures = findings.failures();
    result.message = std::to_string(failures.size()) + " check(s) failed: " + failures.front();
    if (failures.size() > 1) result.message += "; " + failures[1];
    if (failures.size() > 2) result.message += "; ...";
  } else {
    result.verdict = GateVerdict::kPassed;
    result.message = "schema, completeness, ranges and categories hold; " + drift_sentence;
  }
  return result;
}

GateResult RunDataGate(RowSource& reference, const std::string& reference_name, RowSource& training,
                       const std::string& training_name, const DataGateConfig& config) {
  auto error = [](const Status& status) {
    GateResult result;
    result.gate = "data";
    result.verdict = GateVerdict::kError;
    result.message = status.message();
    return result;
  };
  Result<DatasetProfile> ref = ProfileDataset(reference, reference_name, config.profile);
  if (!ref.ok()) return error(ref.status());
  Result<DatasetProfile> cur = ProfileDataset(training, training_name, config.profile);
  if (!cur.ok()) return error(cur.status());
  return EvaluateDataGate(*ref, *cur, config);
}

}  // namespace modelgate::gates
